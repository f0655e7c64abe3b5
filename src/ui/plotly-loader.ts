/** plotly is large: load it lazily so the page is usable before it arrives. */
import { useEffect, useState } from 'react';
import type * as PlotlyNS from 'plotly.js-dist-min';

let loading: Promise<typeof PlotlyNS> | null = null;

export function loadPlotly(): Promise<typeof PlotlyNS> {
  loading ??= import('plotly.js-dist-min').then((m) => ((m as unknown as { default?: typeof PlotlyNS }).default ?? m) as typeof PlotlyNS);
  return loading;
}

/**
 * SVG `scatter` for up to a few thousand points (no WebGL context to create: the first paint is
 * cheaper, above all where WebGL is software-emulated); `scattergl` beyond that, where WebGL exists.
 */
export function scatterType(points = Infinity): 'scattergl' | 'scatter' {
  if (points <= 3000) return 'scatter';
  try {
    const canvas = document.createElement('canvas');
    return canvas.getContext('webgl') || canvas.getContext('experimental-webgl') ? 'scattergl' : 'scatter';
  } catch {
    return 'scatter';
  }
}

/** True once plotly has loaded (starts loading when `enabled`): the charts' shared ready state. */
export function usePlotlyReady(enabled = true): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    loadPlotly().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [enabled]);
  return ready;
}
