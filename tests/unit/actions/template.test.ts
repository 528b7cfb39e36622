import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, mergeFieldsOf, renderTemplate } from '../../../shared/domain/actions/template.js';

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('renderTemplate', () => {
  it.each([
    ['a field', 'Deal {{name}}', { name: 'Acme' }, 'Deal Acme'],
    ['spaces inside braces', 'Deal {{ name }}', { name: 'Acme' }, 'Deal Acme'],
    ['a dotted system field', 'id {{record.id}}', { 'record.id': 'D1' }, 'id D1'],
    ['a number', '{{amount}} JPY', { amount: 2000000 }, '2000000 JPY'],
    ['a boolean', '{{vip}}', { vip: false }, 'false'],
    ['an array', '{{tags}}', { tags: ['a', 'b'] }, 'a, b'],
    ['an absent value', '[{{missing}}]', {}, '[]'],
    ['a null value', '[{{x}}]', { x: null }, '[]'],
    ['an inherited name', '[{{constructor}}]', {}, '[]'],
    ['no merge fields', 'plain text', { name: 'x' }, 'plain text'],
    ['single braces', '{name}', { name: 'x' }, '{name}'],
    ['a value that looks like a merge field', '{{a}}', { a: '{{b}}', b: 'no' }, '{{b}}'],
  ])('renders %s', (_what, template, values, expected) => {
    expect(renderTemplate(template, values)).toBe(expected);
  });

  it('escapes values, not the template, in HTML', () => {
    expect(renderTemplate('<b>{{name}}</b>', { name: '<script>alert(1)</script> & "x"' }, { html: true })).toBe('<b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</b>');
  });

  it('keeps a subject on one line (no header injection)', () => {
    expect(renderTemplate('Re: {{name}}', { name: 'a\r\nBcc: evil@example.com' }, { singleLine: true })).toBe('Re: a Bcc: evil@example.com');
  });

  it('lists merge fields once each', () => {
    expect(mergeFieldsOf('{{a}} {{ b.c }} {{a}} {{ bad-name }}')).toEqual(['a', 'b.c']);
  });

  it('property: HTML output carries no markup from values, and unescapes to the text rendering', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (value, other) => {
        const values = { v: value, w: other };
        const html = renderTemplate('<p>{{v}}</p><i>{{w}}</i>', values, { html: true });
        const inner = html.slice(3, html.indexOf('</p>'));
        expect(inner).not.toMatch(/[<>"']/);
        expect(unescape(inner)).toBe(value);
        expect(unescape(html)).toBe(unescape(renderTemplate('<p>{{v}}</p><i>{{w}}</i>', values)));
      }),
    );
  });

  it('property: single-line rendering never contains a line break', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (template, value) => {
        expect(renderTemplate(`${template}{{v}}`, { v: value }, { singleLine: true })).not.toMatch(/[\r\n]/);
      }),
    );
  });

  it('property: escapeHtml is reversible and output-safe', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeHtml(s)).not.toMatch(/[<>"']/);
        expect(unescape(escapeHtml(s))).toBe(s);
      }),
    );
  });
});
