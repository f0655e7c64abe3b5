/** plotly is large: load it lazily so the page is usable before it arrives. */
import type * as PlotlyNS from 'plotly.js-dist-min';

let loading: Promise<typeof PlotlyNS> | null = null;

export function loadPlotly(): Promise<typeof PlotlyNS> {
  loading ??= import('plotly.js-dist-min').then((m) => ((m as unknown as { default?: typeof PlotlyNS }).default ?? m) as typeof PlotlyNS);
  return loading;
}

/** scattergl needs WebGL; fall back to SVG scatter where the browser has none. */
export function scatterType(): 'scattergl' | 'scatter' {
  try {
    const canvas = document.createElement('canvas');
    return canvas.getContext('webgl') || canvas.getContext('experimental-webgl') ? 'scattergl' : 'scatter';
  } catch {
    return 'scatter';
  }
}
