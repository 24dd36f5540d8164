/**
 * A reusable heatmap on a canvas (thousands of cells redraw in well under a frame), d3-component style:
 * configure with chainable setters, then call with a container and the grid. Values are plain numbers;
 * NaN cells stay empty. Rows are drawn top to bottom, columns left to right.
 */

export interface Grid {
  /** rows[r][c]; rows may differ in length (variable sequence lengths). */
  readonly rows: readonly (readonly number[])[];
  readonly rowLabel: (r: number) => string;
  readonly colLabel: (c: number) => string;
}

export interface Heatmap {
  (container: HTMLElement, grid: Grid): void;
  /** Maps a value to [0, 1] along the colour ramp. */
  domain(lo: number, hi: number): Heatmap;
  /** Colour at 0 and at 1, as CSS colours (read from the theme). */
  colors(low: string, high: string, mid?: string): Heatmap;
  cellSize(width: number, height: number): Heatmap;
  onHover(fn: (cell: { row: number; col: number; value: number } | null) => void): Heatmap;
  onClick(fn: (cell: { row: number; col: number }) => void): Heatmap;
  /** Column to outline (the focused time step), or null. */
  focus(col: number | null): Heatmap;
}

const parsed = new Map<string, [number, number, number]>();
let scratch: CanvasRenderingContext2D | null = null;

/** CSS colour → RGB through a canvas (which understands every CSS colour syntax), cached. */
function parse(color: string): [number, number, number] {
  const hit = parsed.get(color);
  if (hit) return hit;
  const rgb = parseUncached(color);
  parsed.set(color, rgb);
  return rgb;
}

function parseUncached(color: string): [number, number, number] {
  scratch ??= document.createElement('canvas').getContext('2d');
  const ctx = scratch;
  if (!ctx) return [128, 128, 128];
  ctx.fillStyle = '#808080';
  ctx.fillStyle = color.trim() || '#808080';
  const hex = ctx.fillStyle;
  if (hex.startsWith('#')) return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
  const m = /(\d+),\s*(\d+),\s*(\d+)/.exec(hex);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [128, 128, 128];
}

function mix(a: [number, number, number], b: [number, number, number], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function heatmap(): Heatmap {
  let lo = 0;
  let hi = 1;
  let low: [number, number, number] = [0, 0, 0];
  let high: [number, number, number] = [255, 255, 255];
  let mid: [number, number, number] | null = null;
  let cellW = 6;
  let cellH = 6;
  let hover: (cell: { row: number; col: number; value: number } | null) => void = () => undefined;
  let click: (cell: { row: number; col: number }) => void = () => undefined;
  let focused: number | null = null;

  const draw = ((container: HTMLElement, grid: Grid) => {
    // The canvas and the focus outline share a positioned wrapper, so placing the outline needs no
    // layout reads (reading offsets in a redraw forces a synchronous reflow of the whole page).
    let plot = container.querySelector<HTMLDivElement>('.heatmap-plot');
    if (!plot) {
      plot = document.createElement('div');
      plot.className = 'heatmap-plot';
      container.appendChild(plot);
    }
    let canvas = plot.querySelector('canvas');
    if (!canvas) {
      canvas = document.createElement('canvas');
      canvas.className = 'heatmap-canvas';
      plot.appendChild(canvas);
    }
    const rows = grid.rows.length;
    const cols = Math.max(1, ...grid.rows.map((r) => r.length));
    canvas.width = cols;
    canvas.height = Math.max(1, rows);
    canvas.style.width = `${cols * cellW}px`;
    canvas.style.height = `${Math.max(1, rows) * cellH}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(cols, Math.max(1, rows));
    const span = hi - lo || 1;
    grid.rows.forEach((row, r) => {
      row.forEach((v, c) => {
        if (!Number.isFinite(v)) return;
        const t = Math.min(1, Math.max(0, (v - lo) / span));
        const rgb = mid ? (t < 0.5 ? mix(low, mid, t * 2) : mix(mid, high, t * 2 - 1)) : mix(low, high, t);
        const i = (r * cols + c) * 4;
        image.data[i] = rgb[0];
        image.data[i + 1] = rgb[1];
        image.data[i + 2] = rgb[2];
        image.data[i + 3] = 255;
      });
    });
    ctx.putImageData(image, 0, 0);
    let outline = plot.querySelector<HTMLDivElement>('.heatmap-focus');
    if (!outline) {
      outline = document.createElement('div');
      outline.className = 'heatmap-focus';
      plot.appendChild(outline);
    }
    outline.hidden = focused === null || focused >= cols;
    if (focused !== null) {
      outline.style.left = `${focused * cellW}px`;
      outline.style.width = `${cellW}px`;
      outline.style.height = `${Math.max(1, rows) * cellH}px`;
    }
    const at = (event: MouseEvent) => {
      const rect = canvas!.getBoundingClientRect();
      const col = Math.floor(((event.clientX - rect.left) / rect.width) * cols);
      const row = Math.floor(((event.clientY - rect.top) / rect.height) * Math.max(1, rows));
      return { row, col };
    };
    // Bind the callbacks as they are now: one component may draw several grids with different ones.
    const onHover = hover;
    const onClick = click;
    canvas.onmousemove = (event) => {
      const { row, col } = at(event);
      const value = grid.rows[row]?.[col];
      onHover(value === undefined ? null : { row, col, value });
    };
    canvas.onmouseleave = () => onHover(null);
    canvas.onclick = (event) => onClick(at(event));
  }) as Heatmap;

  draw.domain = (a, b) => { lo = a; hi = b; return draw; };
  draw.colors = (a, b, m) => { low = parse(a); high = parse(b); mid = m ? parse(m) : null; return draw; };
  draw.cellSize = (w, h) => { cellW = w; cellH = h; return draw; };
  draw.onHover = (fn) => { hover = fn; return draw; };
  draw.onClick = (fn) => { click = fn; return draw; };
  draw.focus = (col) => { focused = col; return draw; };
  return draw;
}

/** A theme colour by its CSS variable name, for canvas drawing. */
export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}
