import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, reportHtml } from './html';
import { buildReport } from './report-model';

describe('reportHtml', () => {
  it('tables the criteria with their measured values, escaped', () => {
    const model = buildReport([], {
      title: 't',
      criteria: [
        { name: 'min cosine rises with width <b>', verdict: 'pass', measured: -0.123456, expected: '> −0.2' },
        { name: 'λ_min stays above λ₀/2', verdict: 'fail', measured: 'min ratio 0.31' },
        { name: 'loss falls faster', verdict: 'inconclusive', measured: 'gap 0.1 ± 0.2' },
      ],
    });
    const html = reportHtml(model, [], { generatedAt: 'now', generator: 'test', data: {} });
    expect(html).toContain('<h2>Criteria: 1 of 3 pass (1 inconclusive)</h2>');
    // The verdict first (it must stay on a narrow screen), the measured text free to wrap, the figure linked.
    expect(html).toContain('<td class="verdict inconclusive">inconclusive</td>');
    expect(html).toContain('<td class="verdict pass">pass</td><td>min cosine rises with width &lt;b&gt;</td><td>&gt; −0.2</td><td>-0.1235</td>');
    expect(html).toContain('<td class="verdict fail">FAIL</td><td>λ_min stays above λ₀/2</td><td>—</td><td>min ratio 0.31</td>');
  });

  it('links a criterion to its figure only where the report drew it', () => {
    const model = buildReport([], {
      title: 't',
      criteria: [
        { name: 'drawn', verdict: 'pass', measured: 1, figure: 'a' },
        { name: 'every judged run near chance', verdict: 'inconclusive', measured: 'no run left to measure', figure: 'b' },
      ],
    });
    const html = reportHtml({ ...model, figures: [{ id: 'a', title: 'A', caption: '', spec: {} as never }] }, [], { generatedAt: 'now', generator: 'test', data: {} });
    expect(html).toContain('<td><a href="#figure-a">figure</a></td>');
    expect(html).toContain('<td>none: no run to draw</td>');
    expect(html).not.toContain('#figure-b');
  });

  it('escapes text and keeps JSON from closing its script block', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const json = jsonForScript({ name: '</script><script>alert(1)</script>' });
    expect(json).not.toContain('</script');
    expect(JSON.parse(json)).toEqual({ name: '</script><script>alert(1)</script>' });
  });
});
