/**
 * The results as an SVG chart (bench/RESULTS.svg), beside the table: one
 * panel per workload, one bar per column, each bar's length its rate as a
 * share of the fastest column on that workload (W5: bytes per component as a
 * share of the largest, shorter is better). This project's bars are drawn
 * in a colour of their own, the limit's hatched grey.
 */

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * @param {object} o
 * @param {Record<string, Record<string, {median?: number}>>} o.summary  medians by workload, then column
 * @param {string[]} o.peers  the columns, in order
 * @param {string[]} o.workloads
 * @param {Record<string, string>} o.names  column titles
 * @param {Record<string, {title: string, unit: string}>} o.titles
 * @param {(w: string, x: number) => string} o.fmt  formats a value
 * @param {string} o.caption
 */
export function renderChart({ summary, peers, workloads, names, titles, fmt, caption }) {
  const W = 860;
  const labelW = 150;
  const barW = 520;
  const row = 16;
  const gap = 26;
  const parts = [];
  let y = 40;
  for (const w of workloads) {
    const cols = peers.filter((p) => summary[w]?.[p]?.median !== undefined);
    if (cols.length === 0) continue;
    const values = cols.map((p) => summary[w][p].median);
    const max = Math.max(...values);
    parts.push(`<text x="10" y="${y}" class="h">${esc(titles[w].title)} (${esc(titles[w].unit)}${w === "w5" ? ", lower is better" : ""})</text>`);
    y += 8;
    cols.forEach((p, i) => {
      const v = summary[w][p].median;
      const len = Math.max(1, (v / max) * barW);
      const cls = p === "kamaelia" ? "k" : p === "limit" ? "l" : "p";
      const ratio = w === "w5" ? "" : ` · ${(v / max).toFixed(2)}× the fastest`;
      parts.push(`<text x="${labelW - 6}" y="${y + row - 4}" class="n" text-anchor="end">${esc(names[p] ?? p)}</text>`);
      parts.push(`<rect x="${labelW}" y="${y + 2}" width="${len.toFixed(1)}" height="${row - 4}" class="${cls}"/>`);
      parts.push(`<text x="${labelW + len + 6}" y="${y + row - 4}" class="v">${esc(fmt(w, v))}${esc(ratio)}</text>`);
      y += row;
      void i;
    });
    y += gap;
  }
  const H = y + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ddd"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern></defs>
<style>.h{font-weight:bold;font-size:13px}.n{fill:#333}.v{fill:#555;font-size:11px}.k{fill:#c0392b}.l{fill:url(#hatch)}.p{fill:#5d7fa3}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" class="h">${esc(caption)}</text>
${parts.join("\n")}
</svg>
`;
}
