import { contactSheetHtml } from '../../../src/report/contact-sheet';
import { escapeHtml, relativeUrl } from '../../../src/report/escape-html';
import { sampleIndices } from '../../../src/report/sample-indices';
import { cutOutPreview } from '../../../src/report/cut-out-preview';

describe('escapeHtml and relativeUrl', () => {
  it('escapes markup and encodes path segments', () => {
    expect(escapeHtml(`a <b> & "c" 'd'`)).toBe('a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;');
    expect(relativeUrl('frames/in put#1.png')).toBe('frames/in%20put%231.png');
  });
});

describe('contactSheetHtml', () => {
  it('shows input and output, and marks edited picks with their edit', () => {
    const html = contactSheetHtml([
      { index: 3, timeSec: 0.3, input: 'frames/input-000003.png', output: 'frames/output-000003.png', cutOut: 'frames/cut-out-000003.png' },
      { index: 12, timeSec: 1.2, input: 'frames/input-000012.png', output: 'frames/output-000012.png', edited: 'frames/edit-000012.png' },
    ]);
    expect(html.match(/<img /g)).toHaveLength(6);
    expect(html.match(/class="card picked"/g)).toHaveLength(1);
    expect(html).toContain('<div class="card picked" id="frame-12">');
    expect(html).toContain('src="frames/edit-000012.png"');
    expect(html).toContain('src="frames/cut-out-000003.png"');
    expect(html.match(/edited pick<\/span>/g)).toHaveLength(1);
    expect(html).toContain('frame 3 <span class="muted">0.3 s</span>');
  });

  it('says so when nothing was sampled', () => {
    expect(contactSheetHtml([])).toContain('No frames were sampled');
  });
});

describe('sampleIndices', () => {
  it('spreads frames over the video, first and last included, and adds some picks', () => {
    expect(sampleIndices(100, 5)).toEqual([0, 25, 50, 74, 99]);
    expect(sampleIndices(100, 5, [12, 48])).toEqual([0, 12, 25, 48, 50, 74, 99]);
    expect(sampleIndices(100, 4, [12, 48, 300])).toEqual([0, 12, 33, 66, 99]);
  });

  it('copes with short videos', () => {
    expect(sampleIndices(3, 12)).toEqual([0, 1, 2]);
    expect(sampleIndices(1, 12)).toEqual([0]);
    expect(sampleIndices(0, 12, [0])).toEqual([]);
  });
});

describe('cutOutPreview', () => {
  it('keeps the input where the output is not white and checks the rest', () => {
    const input = Uint8Array.from([10, 20, 30, 40, 50, 60]);
    const output = Uint8Array.from([0, 0, 0, 255, 250, 255]);
    expect([...cutOutPreview(input, output, 2, 1)]).toEqual([10, 20, 30, 204, 204, 204]);
  });
});
