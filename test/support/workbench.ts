import type { Frame, Page } from 'playwright-core';

/** What a user does in the VS Code window: the palette, Quick Open, Find, and the preview's frame. */

/**
 * Runs `attempt` until it resolves, at most `times` times, with `afterFailure` between tries (closing what a
 * failed try left open); the last try's error is thrown. For what a busy workbench sometimes drops: a palette
 * whose focus a loading webview took back, an editor brought to the front by a late restore.
 */
export async function retried<T>(times: number, attempt: () => Promise<T>, afterFailure: () => Promise<void> = async () => undefined): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= times) throw error;
      await afterFailure();
    }
  }
}

/** Runs a command from the palette (F1), as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // A webview that is still loading can take the focus back and close the palette, even after the title is
  // typed (a restored preview did, in CI): ask again until the filtered list shows.
  await retried(4, async () => {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await input.fill(`>${title}`, { timeout: 5000 });
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 10_000 });
  }, () => page.keyboard.press('Escape'));
  await page.keyboard.press('Enter');
}

/**
 * Runs a command that answers with a quick pick, and waits until the pick whose placeholder starts with
 * `placeholder` is showing. A pick closes when it loses the focus; where something else takes the focus back
 * just after it opened (a webview that is still drawing), the command is run again, as a user would.
 */
export async function runCommandForPick(page: Page, title: string, placeholder: string): Promise<void> {
  const pick = page.locator(`.quick-input-widget input[placeholder^="${placeholder}"]`);
  await retried(3, async () => {
    await runCommand(page, title);
    await pick.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
      throw new Error(`the pick "${placeholder}…" of "${title}" did not open in 10 s (the last of three tries)`);
    });
    // Still open a moment later: nothing took the focus from it.
    await page.waitForTimeout(300);
    if (!(await pick.isVisible())) throw new Error(`the pick "${placeholder}…" of "${title}" closed as soon as it opened (the last of three tries)`);
  }, () => page.keyboard.press('Escape'));
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[data-resource-name="${name}"]`).waitFor({ state: 'visible' });
}

/** The frame inside the webview's nested iframes that holds our page. */
export async function previewFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$('main#app')) return frame;
      } catch {
        // frames come and go while the webview loads
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the RNN Lens preview did not appear');
}

/** Types `text` into the active editor's Find widget and goes to its first occurrence; the widget stays open. */
export async function findInEditor(page: Page, text: string, editor = '.monaco-editor .view-lines'): Promise<void> {
  await page.locator(editor).first().click();
  await page.keyboard.press('Control+F');
  const find = page.locator('.find-widget .input').first();
  await find.waitFor({ state: 'visible' });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Selects the first occurrence of `text` in the active editor via Find, then closes the find widget. */
export async function selectInEditor(page: Page, text: string): Promise<void> {
  await findInEditor(page, text);
  await page.keyboard.press('Escape');
}

/** The text of the editor in the main editor area (monaco draws spaces as no-break spaces). */
export async function editorText(page: Page): Promise<string> {
  return (await page.locator('.part.editor .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Answers VS Code's save dialog with a full path. In the browser, VS Code's dialog is its own: a quick input
 * holding the path, which is replaced and accepted.
 */
export async function saveAs(page: Page, file: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  // The dialog fills in the default path and then selects its file name: wait for that, then replace it all.
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLInputElement>('.quick-input-widget input');
    return !!el && el.value.length > 0 && el.selectionStart !== el.selectionEnd;
  });
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(file);
  await page.waitForFunction((f) => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value === f, file);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 30_000 });
}
