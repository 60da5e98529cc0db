import { lossChartSvg, niceTicks } from '../../../src/report/loss-chart';

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0.013, 0.47)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(0, 1500)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(12, 97)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('widens a flat range', () => {
    expect(niceTicks(2, 2)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(niceTicks(0, 0)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
});

describe('lossChartSvg', () => {
  const points = [
    [0, 0.5],
    [50, 0.25],
    [100, 0.1],
  ] as const;

  it('draws one polyline per series, scaled into the plot, with a legend', () => {
    const svg = lossChartSvg([{ label: 'L1', color: '#123456', points }], { title: 'L1 <loss>', width: 560, height: 240 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('L1 &lt;loss&gt;');
    // Plot: x 56…544 for steps 0…100, y 28…200 for 0…0.5 (ticks 0, 0.1, … 0.5).
    expect(svg).toContain('<polyline points="56,28 300,114 544,165.6"');
    expect(svg).toContain('stroke="#123456"');
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).toContain('>L1</text>');
  });

  it('skips non-finite points and says when there is no data', () => {
    const svg = lossChartSvg([{ label: 'D', color: 'red', points: [[0, Number.NaN], ...points] }], { title: 't' });
    expect(svg.match(/<polyline points="([^"]*)"/)![1]!.split(' ')).toHaveLength(3);
    const empty = lossChartSvg([{ label: 'D', color: 'red', points: [] }], { title: 't' });
    expect(empty).toContain('no data');
    expect(empty).not.toContain('<polyline');
  });
});
