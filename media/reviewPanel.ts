// The Airlock review panel (runs in the webview). It renders what the extension sends, after validating it,
// and sends back intents only (approve / reject / open a diff); the extension decides what they mean.
import { toWebviewSchema, type ActionView, type ReviewViewModel } from '../src/ui/webviewProtocol';
import type { Segment } from '../src/ui/revealSegments';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
let model: ReviewViewModel | undefined;
let focusedId: string | undefined = (vscode.getState() as { focusedId?: string } | undefined)?.focusedId;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined) e.append(c);
  return e;
}
const icon = (name: string) => el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });

function badge(level: string, score: number, decision?: string): HTMLElement {
  return el('span', { class: `badge level-${level}`, title: `${level} risk, score ${score}${decision ? `, policy says ${decision}` : ''}`, 'aria-label': `${level} risk, score ${score}` }, `${level} ${score}`);
}

function segments(segs: Segment[]): DocumentFragment {
  const f = document.createDocumentFragment();
  for (const s of segs) {
    const cls = [s.invisible ? 'invisible' : '', s.rules?.length ? 'hl' : ''].filter(Boolean).join(' ');
    if (!cls) {
      f.append(s.text);
      continue;
    }
    const span = el('span', { class: cls }, s.text);
    const label = [s.invisible ? `hidden character: ${s.invisible}` : '', s.rules?.length ? `flagged by ${s.rules.join(', ')}` : ''].filter(Boolean).join('; ');
    span.title = label;
    span.setAttribute('aria-label', `${s.invisible ? s.invisible : s.text} (${label})`);
    f.append(span);
  }
  return f;
}

function reasons(item: ActionView, limit = 5): HTMLElement {
  const list = el('ul', { class: 'reasons', 'aria-label': 'Why Airlock rated it so' });
  for (const r of item.reasons.slice(0, limit)) {
    list.append(el('li', { class: `level-${r.level}` }, el('span', { class: 'msg' }, r.message), ' ', el('code', { class: 'rule' }, r.rule), r.file ? el('span', { class: 'where' }, ` ${r.file}${r.line !== undefined ? `:${r.line}` : ''}`) : undefined));
  }
  if (item.reasons.length > limit) list.append(el('li', { class: 'muted' }, `… ${item.reasons.length - limit} more`));
  if (item.reasons.length === 0) list.append(el('li', { class: 'muted' }, 'No findings; it needs review by policy.'));
  return list;
}

function commandPreview(item: ActionView): HTMLElement | undefined {
  const c = item.command;
  if (!c) return undefined;
  const box = el('div', { class: 'preview command-preview' });
  box.append(el('pre', { class: 'command', 'aria-label': 'The exact command' }, segments(c.segments)));
  const meta = el('dl', { class: 'meta' }, el('dt', {}, 'Working directory'), el('dd', {}, c.cwd));
  if (c.env.length) meta.append(el('dt', {}, 'Environment changes'), el('dd', {}, c.env.join('  ')));
  box.append(meta, el('ul', { class: 'sandbox', 'aria-label': 'What the sandbox allows' }, ...c.sandbox.map((s) => el('li', {}, icon('shield'), ' ', s))));
  return box;
}

function diffPreview(reviewId: string, item: ActionView): HTMLElement | undefined {
  if (!item.files) return undefined;
  const box = el('div', { class: 'preview diff-preview' });
  for (const f of item.files) {
    const head = el('div', { class: 'file-head' }, icon('file'), ' ', el('span', { class: 'path' }, f.path), ' ', el('span', { class: 'status' }, f.status));
    if (f.canOpen) {
      const open = el('button', { class: 'link', 'data-open': f.path, 'aria-label': `Open the diff of ${f.path} in the diff editor` }, icon('diff'), ' Open diff');
      open.addEventListener('click', () => vscode.postMessage({ type: 'openDiff', reviewId, itemId: item.id, path: f.path }));
      head.append(open);
    }
    const table = el('table', { class: 'diff', role: 'table', 'aria-label': `Changes to ${f.path}` });
    for (const l of f.lines) {
      const row = el('tr', { class: `line ${l.kind}${l.findings.length ? ' flagged' : ''}` });
      const num = l.kind === 'del' ? l.oldLine : l.newLine;
      const sign = { add: '+', del: '-', ctx: ' ', hunk: '', note: '' }[l.kind];
      row.append(el('td', { class: 'num' }, num !== undefined ? String(num) : ''), el('td', { class: 'code' }, el('span', { class: 'sign' }, sign), segments(l.segments)), el('td', { class: 'finding' }, ...l.findings.map((x) => el('div', { class: `level-${x.level}` }, icon('warning'), ` ${x.message} `, el('code', { class: 'rule' }, x.rule)))));
      table.append(row);
    }
    box.append(el('section', { class: 'file' }, head, ...f.findings.map((x) => el('div', { class: `file-finding level-${x.level}` }, icon('warning'), ` ${x.message} `, el('code', { class: 'rule' }, x.rule))), table));
  }
  return box;
}

function answer(reviewId: string, approve: boolean): void {
  const reviews = model?.reviews ?? [];
  const i = reviews.findIndex((r) => r.id === reviewId);
  focusedId = reviews[i + 1]?.id ?? reviews[i - 1]?.id;
  vscode.setState({ focusedId });
  vscode.postMessage({ type: approve ? 'approve' : 'reject', reviewId });
}

function render(): void {
  if (!model) return;
  const m = model;
  root.replaceChildren();
  const sandboxIcon = m.sandbox.state === 'ready' ? 'shield' : m.sandbox.state === 'failed' ? 'error' : m.sandbox.state === 'starting' ? 'sync' : 'circle-outline';
  root.append(el('p', { class: `sandbox-state state-${m.sandbox.state}`, role: 'status' }, icon(sandboxIcon), ` Sandbox ${m.sandbox.state === 'stopped' ? 'not started' : m.sandbox.state}${m.sandbox.detail ? `: ${m.sandbox.detail}` : ''}`));
  if (!m.trusted) {
    const trust = el('button', { class: 'link' }, 'Manage Workspace Trust');
    trust.addEventListener('click', () => vscode.postMessage({ type: 'manageTrust' }));
    root.append(el('div', { class: 'banner untrusted', role: 'alert' }, icon('workspace-untrusted'), ' This workspace is not trusted, so Airlock runs nothing in it: every agent action is refused with that reason. ', trust));
  }
  root.append(el('h2', {}, `Waiting for you (${m.reviews.length})`));
  if (m.reviews.length === 0) root.append(el('p', { class: 'muted empty' }, 'Nothing to review. Low-risk actions run on their own in the sandbox.'));
  for (const r of m.reviews) {
    const top = r.items.reduce((a, b) => (b.score > a.score ? b : a), r.items[0] as ActionView);
    const sec = el('section', { class: `review ${r.kind}`, tabindex: '0', 'data-review': r.id, role: 'group', 'aria-label': `${r.kind === 'batch' ? 'Batch review' : 'Review'}: ${r.title}, ${top.level} risk ${top.score}. Press A to approve, R to reject.` });
    const header = el('header', {}, badge(top.level, top.score, top.decision), ' ', el('span', { class: 'title' }, r.title));
    const who = [top.agent, top.connector].filter(Boolean).join(' · ');
    if (who) header.append(el('div', { class: 'who muted' }, icon('robot'), ` ${who}`));
    sec.append(header);
    if (r.kind === 'batch') {
      sec.append(el('ul', { class: 'groups' }, ...r.groups.map((g) => el('li', {}, g.title))));
      for (const item of r.items) {
        const d = el('details', { class: 'batch-item' }, el('summary', {}, badge(item.level, item.score), ' ', item.title));
        d.append(reasons(item, 3), commandPreview(item) ?? '', diffPreview(r.id, item) ?? '');
        sec.append(d);
      }
    } else {
      const item = r.items[0] as ActionView;
      sec.append(reasons(item), commandPreview(item) ?? '', diffPreview(r.id, item) ?? '');
    }
    const approve = el('button', { class: 'approve', 'data-action': 'approve', title: 'Approve (A)' }, icon('check'), r.kind === 'batch' ? ` Approve all ${r.items.length}` : ' Approve');
    const reject = el('button', { class: 'reject secondary', 'data-action': 'reject', title: 'Reject (R)' }, icon('close'), r.kind === 'batch' ? ' Reject all' : ' Reject');
    approve.addEventListener('click', () => answer(r.id, true));
    reject.addEventListener('click', () => answer(r.id, false));
    sec.append(el('div', { class: 'buttons' }, approve, reject));
    sec.addEventListener('focus', () => {
      focusedId = r.id;
      vscode.setState({ focusedId });
    });
    root.append(sec);
  }
  root.append(el('h2', {}, 'Recent decisions'));
  const recent = el('ul', { class: 'recent' });
  for (const d of m.recent) recent.append(el('li', { class: `decision-${d.decision}` }, badge(d.level, d.score), ` ${d.decision} → ${d.outcome}${d.by ? ` (${d.by})` : ''}: `, el('span', { class: 'title' }, d.title)));
  if (m.recent.length === 0) recent.append(el('li', { class: 'muted' }, 'None yet.'));
  root.append(recent);
  const focus = root.querySelector<HTMLElement>(`[data-review="${CSS.escape(focusedId ?? '')}"]`) ?? (document.activeElement === document.body ? null : null);
  focus?.focus();
}

// Keyboard first: j/k or arrows move between reviews, a approves, r rejects.
document.addEventListener('keydown', (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey || (e.target as HTMLElement).tagName === 'INPUT') return;
  const sections = [...root.querySelectorAll<HTMLElement>('section.review')];
  const current = (e.target as HTMLElement).closest<HTMLElement>('section.review');
  const at = current ? sections.indexOf(current) : -1;
  if (e.key === 'j' || e.key === 'ArrowDown') sections[Math.min(sections.length - 1, at + 1)]?.focus();
  else if (e.key === 'k' || e.key === 'ArrowUp') sections[Math.max(0, at - 1)]?.focus();
  else if ((e.key === 'a' || e.key === 'r') && current?.dataset.review) answer(current.dataset.review, e.key === 'a');
  else return;
  e.preventDefault();
});

window.addEventListener('message', (e: MessageEvent) => {
  const parsed = toWebviewSchema.safeParse(e.data);
  if (!parsed.success) return;
  model = parsed.data.model;
  render();
});
vscode.postMessage({ type: 'ready' });
