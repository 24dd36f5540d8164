import { gatesOf } from '../src/core/diagram/cellLayout';
import { visible } from '../src/core/messages';
import type { ResolvedSpec } from '../src/core/modelSpec/types';
import { assertNever } from '../src/core/guards';
import { isPersistedState, isToWebview, type ProblemInfo, type SpecState } from '../src/shared/protocol';
import { DEFAULT_UI_STATE, type UiState } from '../src/shared/uiState';
import { exportedRun, StatusReporter } from './run/runStatus';
import { SpecControls } from './editing/specControls';
import { EditSender } from './editing/specEdits';
import { SpecLinks } from './editing/specLinks';
import { Store } from './store';
import { Texts } from './texts';
import { ViewBoard } from './viewBoard';
import { addExportButtons, labelExportButtons } from './viewExport';
import type { HostChannel } from './vscodeApi';
import { renderBanner } from './chrome/banner';
import { originText, renderLogBanner } from './chrome/logChrome';
import { Header } from './chrome/header';
import { shownVariant } from './run/selectors';
import { Tooltip } from './charts/tooltip';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  parent.appendChild(el);
  return el;
}

/** The learner's choices as the page last saved them, if they pass the guard; the defaults otherwise. */
export function restoredUiState(saved: unknown): UiState {
  return isPersistedState(saved) && saved.view ? saved.view : DEFAULT_UI_STATE;
}

/**
 * The preview page: receives spec states from the host, owns the UI store (persisted with `setState`), and
 * keeps the header, the banner and the view board in step with the last good spec.
 */

/**
 * The spec as the page shows it: its description and the models' labels are text a reader takes as written,
 * so any control, bidirectional override or invisible character in them is shown as an escape, once, here.
 * (A label is made from the spec's values, but the page takes nothing from the host on trust: a right-to-left
 * override in a label would turn the page's own sentences around it backwards.)
 */
function asShown(spec: ResolvedSpec): ResolvedSpec {
  return {
    ...spec,
    description: spec.description === null ? null : visible(spec.description),
    variants: spec.variants.map((v) => ({ ...v, label: visible(v.label) })),
  };
}
export class PreviewApp {
  private texts = new Texts();
  private readonly store: Store<UiState>;
  private readonly tooltip: Tooltip;
  private spec: ResolvedSpec | null = null;
  private problems: readonly ProblemInfo[] = [];
  private uri = '';
  /** The version of the document whose text the page shows: edits are made against it. */
  private version: number | null = null;
  private board: ViewBoard | null = null;
  private visible = true;
  private deleted = false;
  private fileName = '';
  /** The page replays a run log (`init` said so) instead of training a spec. */
  private replaying = false;
  private readonly header: Header;
  private readonly banner: HTMLDivElement;
  private readonly empty: HTMLParagraphElement;
  private readonly claimRoot: HTMLElement;
  private readonly controlsRoot: HTMLElement;
  private readonly viewsRoot: HTMLElement;
  private readonly status: StatusReporter;
  private readonly specControls: SpecControls;
  private readonly edits: EditSender;
  private readonly links: SpecLinks;

  constructor(root: HTMLElement, private readonly host: HostChannel, private readonly files: Readonly<Record<string, string>>) {
    this.store = new Store(restoredUiState(host.getState()));
    this.header = new Header(root, (variant) => this.store.set({ variant }));
    this.banner = element('div', 'banner', root);
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.empty = element('p', 'empty', root);
    // The claim comes first after the header: it is what the run is for.
    this.claimRoot = element('div', 'claim-root', root);
    this.edits = new EditSender((edit) => host.post(edit), () => this.version);
    this.specControls = new SpecControls(element('div', 'spec-controls-root', root), this.texts, (key, value, variant) => this.edits.edit(key, value, variant));
    this.controlsRoot = element('div', 'training-controls', root);
    this.viewsRoot = element('div', 'training-views', root);
    this.tooltip = new Tooltip(root, this.texts);
    this.status = new StatusReporter((status) => host.post({ type: 'status', status }), () => this.board!.training);
    this.links = new SpecLinks(root, (m) => host.post(m), () => (this.spec ? shownVariant(this.spec, this.store.get().variant) : 0));
    this.store.subscribe(() => this.persist());
    this.store.subscribe(({ layout }) => this.host.post({ type: 'layout', layout }), ['layout']);
    // A focus click redraws only the views that show the focus; choosing a model changes the header too.
    this.store.subscribe(() => this.render(), ['variant']);
    this.render();
  }

  receive(raw: unknown): void {
    if (!isToWebview(raw)) {
      this.host.post({ type: 'log', level: 'warn', text: 'ignored a malformed message from the host' });
      return;
    }
    switch (raw.type) {
      case 'init':
        // A fresh page (not a reload) takes the layout the learner left this spec in last time.
        if (raw.layout && Object.keys(this.store.get().layout).length === 0 && Object.keys(raw.layout).length) {
          this.store.set({ layout: raw.layout });
        }
        this.texts = new Texts(raw.strings, raw.locale);
        document.documentElement.lang = raw.locale;
        if (raw.source === 'log') {
          this.replaying = true;
          document.body.dataset.source = 'log';
        }
        this.tooltip.setTexts(this.texts);
        this.specControls.setTexts(this.texts);
        if (this.board) {
          this.board.setTexts(this.texts);
          this.board.setSettings(raw.settings);
        } else {
          this.board = new ViewBoard(this.claimRoot, this.controlsRoot, this.viewsRoot, this.files, this.texts, raw.settings, this.store, () => {
            this.tooltip.refresh();
            this.links.apply();
          }, () => this.status.update(), (claim) => this.host.post({ type: 'claim', state: claim.state, step: claim.step }), this.replaying);
          addExportButtons(this.viewsRoot, () => this.texts.t('export.view'), (view, svg, png) => this.host.post({ type: 'exportView', view, svg, png }),
            (e) => this.host.post({ type: 'log', level: 'error', text: `export failed: ${e instanceof Error ? e.message : String(e)}` }));
          this.board.setVisible(this.visible);
        }
        labelExportButtons(this.viewsRoot, this.texts.t('export.view'));
        this.apply(raw);
        return;
      case 'update':
        this.apply(raw);
        return;
      case 'highlight':
        this.links.highlight(raw.key, raw.variant);
        return;
      case 'exportRun':
        this.host.post({
          type: 'run', id: raw.id,
          run: this.board ? exportedRun(this.board.training, this.spec)
            : { spec: null, startedAt: new Date().toISOString(), backend: null, seconds: 0, variants: [] },
        });
        return;
      case 'logStart':
        // The header's text (producer, device, file name, spec) is the log's, shown as written, escapes and all.
        this.spec = asShown(raw.header.spec);
        this.board?.replay?.start(raw.header);
        this.header.setOrigin(visible(originText(raw.header, this.texts)));
        this.board?.setSpec(this.spec);
        this.render();
        return;
      case 'logSteps':
        this.board?.replay?.add(raw.steps);
        return;
      case 'logSummary':
        this.board?.replay?.finish(raw.summary);
        return;
      case 'logStatus':
        this.board?.replay?.setStatus(raw.status);
        this.render();
        return;
      case 'visibility':
        this.visible = raw.visible;
        this.board?.setVisible(raw.visible);
        return;
      case 'file':
        this.deleted = raw.deleted;
        document.body.dataset.fileDeleted = String(raw.deleted);
        this.board?.setDeleted(raw.deleted ? this.fileName : null);
        return;
      default:
        assertNever(raw);
    }
  }

  private apply(state: SpecState): void {
    this.uri = state.document.uri;
    this.version = state.document.version;
    // The file's name is the user's text: every control or invisible character in it shown as an escape.
    this.fileName = visible(state.document.fileName);
    this.header.setFileName(this.fileName);
    this.board?.setFileName(this.fileName);
    if (this.deleted) this.board?.setDeleted(this.fileName);
    this.problems = state.problems;
    // Keep the last good spec while the text is invalid, so the learner never loses the picture mid-edit.
    if (state.spec) {
      const spec = asShown(state.spec);
      this.spec = spec;
      this.board?.setSpec(spec);
    }
    this.persist();
    this.render();
    this.edits.answered();
  }

  /** Diagnostics: see ViewBoard.loseContext. */
  loseContext(): void {
    this.board?.loseContext();
  }

  private persist(): void {
    this.host.setState({ uri: this.uri, view: this.store.get() });
  }

  private render(): void {
    const spec = this.spec;
    const log = this.board?.replay ?? null;
    if (this.replaying) renderLogBanner(this.banner, log?.status ?? null, this.texts);
    else renderBanner(this.banner, this.problems, spec !== null, this.texts, (offset) => this.host.post({ type: 'reveal', offset }));
    document.body.dataset.specState = this.problems.length ? 'invalid' : spec ? 'valid' : 'empty';
    this.empty.hidden = spec !== null || this.problems.length > 0 || Boolean(log?.status?.problem);
    this.empty.textContent = this.texts.t(this.replaying ? 'log.waiting' : 'empty.title');
    this.viewsRoot.hidden = !spec;
    // A replay edits no spec: its controls would change nothing.
    this.specControls.element.hidden = !spec || this.replaying;
    if (!spec) return;
    const variant = shownVariant(spec, this.store.get().variant);
    this.header.update(spec, variant, this.texts);
    this.specControls.update(spec, variant);
    this.links.apply();
    this.tooltip.refresh();
    const model = spec.variants[variant].model;
    this.host.post({ type: 'rendered', cell: model.cell, variants: spec.variants.length, gates: gatesOf(model.cell) });
  }
}
