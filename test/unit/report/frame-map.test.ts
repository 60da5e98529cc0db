import { frameMapSvg } from '../../../src/report/frame-map';
import { reportPage } from '../../../src/report/report-page';

describe('frameMapSvg', () => {
  const points = [
    { index: 0, x: -5, y: 0, timeSec: 0, image: 'map/000000.png' },
    { index: 1, x: 5, y: 10, timeSec: 0.1, pick: true, heldOutIoU: 0.9, image: 'map/000001.png' },
    { index: 2, x: 0, y: 5, timeSec: 0.2, outlier: true, score: 12.5 },
  ];

  it('draws a dot per frame scaled into the plot, linked to its frame, with its facts as a tooltip', () => {
    const svg = frameMapSvg(points, { width: 860, height: 520 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/data-frame=/g)).toHaveLength(3);
    // The lowest x and y land at the top-left corner of the plot, (24, 44).
    expect(svg).toContain('<circle cx="24.0" cy="44.0" r="4"');
    expect(svg).toContain('<a class="map-pt map-pick" data-frame="1" href="map/000001.png">');
    expect(svg).toContain('<title>frame 1 (0.1 s)\nedited pick\nheld-out IoU 0.900</title>');
    expect(svg).toContain('<g class="map-pt map-outlier" data-frame="2"><title>frame 2 (0.2 s)\noutlier\nscore 12.50</title>');
  });

  it('marks picks with a ring coloured by held-out IoU and outliers with a cross, drawn after plain dots', () => {
    const svg = frameMapSvg(points);
    expect(svg).toContain('fill="hsl(96, 75%, 48%)" class="map-ring"');
    expect(svg.match(/class="map-x"/g)).toHaveLength(2); // the outlier and the legend
    expect(svg.indexOf('data-frame="0"')).toBeLessThan(svg.indexOf('data-frame="2"'));
    expect(svg.indexOf('data-frame="2"')).toBeLessThan(svg.indexOf('data-frame="1"'));
  });

  it('shows the hovered frame in the side panel, by CSS alone', () => {
    const svg = frameMapSvg(points);
    expect(svg).toContain('<g class="map-preview"><image href="map/000000.png" x="616" y="44" width="220" height="220"/>');
    const page = reportPage({ title: 't', highlights: [], sheet: [], timings: [], options: {}, map: { points, totalFrames: 3 } });
    expect(page).toContain('.frame-map .map-pt:hover .map-preview { display: inline; }');
    expect(page).toContain('<h2>Frame map</h2>');
    expect(page).not.toContain('<script');
  });

  it('escapes paths', () => {
    expect(frameMapSvg([{ index: 0, x: 0, y: 0, timeSec: 0, image: 'a b/"x".png' }])).toContain('href="a%20b/%22x%22.png"');
  });
});
