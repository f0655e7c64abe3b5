import { useDemo } from './store';

/** What the selected point is: its objective values and configuration. */
export function DemoDetail() {
  const selectedId = useDemo((s) => s.selectedId);
  const points = useDemo((s) => s.points);
  const objectives = useDemo((s) => s.objectives);
  const point = selectedId != null ? points.find((p) => p.id === selectedId) : undefined;

  if (!point) {
    return (
      <div className="panel detail" data-testid="demo-detail">
        <h2>Selection</h2>
        <p className="hint">Click a point on the plot to inspect it.</p>
      </div>
    );
  }
  const entries = Object.entries(point.config);
  return (
    <div className="panel detail" data-testid="demo-detail">
      <h2>Candidate #{point.id}</h2>
      <p>Generation {point.generation}</p>
      <table className="objectives">
        <tbody>
          {objectives.map((o, i) => (
            <tr key={o.name}>
              <th scope="row">{o.name}</th>
              <td data-testid={`objective-${o.name}`}>{point.values[i].toPrecision(6)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Configuration ({entries.length} variables)</summary>
        <table className="config">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{typeof v === 'number' ? Number(v.toPrecision(5)) : v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
