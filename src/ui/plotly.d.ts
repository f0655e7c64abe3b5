declare module 'plotly.js-dist-min' {
  // A deliberately small surface: what our chart components use.
  export type Data = Record<string, unknown>;
  export type Layout = Record<string, unknown>;
  export interface PlotlyHTMLElement extends HTMLElement {
    on(event: 'plotly_click', handler: (ev: { points: Array<{ customdata?: unknown; pointIndex: number; curveNumber: number }> }) => void): void;
    removeAllListeners?(event: string): void;
  }
  export function react(el: HTMLElement, data: Data[], layout?: Layout, config?: Record<string, unknown>): Promise<PlotlyHTMLElement>;
  export function purge(el: HTMLElement): void;
  const Plotly: { react: typeof react; purge: typeof purge };
  export default Plotly;
}
