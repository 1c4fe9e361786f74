import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { fromWebviewSchema, type FromWebview, type ReviewViewModel } from './webviewProtocol';

/**
 * The Airlock panel (a webview view): pending reviews with previews, and recent decisions. The webview only
 * renders and sends intents; every intent is validated here and acted on by the extension.
 */
export class ReviewView implements vscode.WebviewViewProvider {
  static readonly id = 'airlock.reviews';
  private view?: vscode.WebviewView;
  private model?: ReviewViewModel;
  /** For tests and diagnostics: the last model the webview was sent, and whether it said it was ready. */
  lastPosted?: ReviewViewModel;
  ready = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onIntent: (m: FromWebview) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
    const codicons = vscode.Uri.joinPath(this.extensionUri, 'node_modules', '@vscode', 'codicons', 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [media, codicons] };
    view.webview.html = this.html(view.webview, media, codicons);
    view.webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = fromWebviewSchema.safeParse(raw);
      if (!parsed.success) return void this.log.warn(`review panel: dropped a malformed message (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      if (parsed.data.type === 'ready') {
        this.ready = true;
        this.post();
        return;
      }
      this.onIntent(parsed.data);
    });
    view.onDidChangeVisibility(() => view.visible && this.post());
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
    });
  }

  update(model: ReviewViewModel): void {
    this.model = model;
    this.post();
  }

  reveal(): void {
    this.view?.show(true);
  }

  private post(): void {
    if (!this.view || !this.model || !this.ready) return;
    this.lastPosted = this.model;
    void this.view.webview.postMessage({ type: 'model', model: this.model });
  }

  private html(webview: vscode.Webview, media: vscode.Uri, codicons: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const src = (base: vscode.Uri, f: string) => webview.asWebviewUri(vscode.Uri.joinPath(base, f)).toString();
    // No remote resources, no inline script without the nonce, fonts and styles only from the extension.
    const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${src(codicons, 'codicon.css')}">
<link rel="stylesheet" href="${src(media, 'reviewPanel.css')}">
<title>Airlock reviews</title>
</head>
<body>
<main id="root" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${src(media, 'reviewPanel.js')}"></script>
</body>
</html>`;
  }
}
