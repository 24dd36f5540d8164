/**
 * The subset of VS Code's `--vscode-*` theme variables the preview uses, with the values of the default
 * Dark Modern, Light Modern and High Contrast themes. VS Code injects these into every webview; the browser
 * tests inject them the same way.
 */
export type ThemeName = 'dark' | 'light' | 'high-contrast';

const common = { 'font-family': 'sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace' };

export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      'editor-foreground': '#cccccc', 'editor-background': '#1f1f1f', 'descriptionForeground': '#9d9d9d',
      'editorWidget-border': '#454545', 'charts-orange': '#d18616', 'charts-blue': '#3794ff', 'charts-purple': '#b180d7',
      'charts-green': '#89d185', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700', 'charts-foreground': '#cccccc', 'charts-lines': '#cccccc80',
      'button-foreground': '#ffffff', 'button-background': '#0078d4', 'button-hoverBackground': '#026ec1',
      'button-secondaryForeground': '#cccccc', 'button-secondaryBackground': '#313131', 'button-secondaryHoverBackground': '#3c3c3c',
      'focusBorder': '#0078d4', 'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
      'errorForeground': '#f85149', 'editorHoverWidget-foreground': '#cccccc', 'editorHoverWidget-background': '#202020',
      'editorHoverWidget-border': '#454545', 'widget-shadow': '#0000005c',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      'editor-foreground': '#3b3b3b', 'editor-background': '#ffffff', 'descriptionForeground': '#3b3b3b',
      'editorWidget-border': '#c8c8c8', 'charts-orange': '#d18616', 'charts-blue': '#1a85ff', 'charts-purple': '#652d90',
      'charts-green': '#388a34', 'charts-red': '#e51400', 'charts-yellow': '#bf8803', 'charts-foreground': '#616161', 'charts-lines': '#61616180',
      'button-foreground': '#ffffff', 'button-background': '#005fb8', 'button-hoverBackground': '#0258a8',
      'button-secondaryForeground': '#3b3b3b', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryHoverBackground': '#cccccc',
      'focusBorder': '#005fb8', 'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
      'errorForeground': '#a1260d', 'editorHoverWidget-foreground': '#3b3b3b', 'editorHoverWidget-background': '#f8f8f8',
      'editorHoverWidget-border': '#c8c8c8', 'widget-shadow': '#00000029',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      'editor-foreground': '#ffffff', 'editor-background': '#000000', 'descriptionForeground': '#ffffff',
      'editorWidget-border': '#6fc3df', 'contrastBorder': '#6fc3df', 'charts-orange': '#d18616', 'charts-blue': '#3794ff',
      'charts-purple': '#b180d7', 'charts-green': '#89d185', 'charts-red': '#f14c4c', 'charts-yellow': '#ffd700', 'charts-foreground': '#ffffff', 'charts-lines': '#ffffff80',
      'button-foreground': '#ffffff', 'button-background': '#000000', 'button-border': '#6fc3df', 'button-hoverBackground': '#000000',
      'button-secondaryForeground': '#ffffff', 'button-secondaryBackground': '#000000', 'button-secondaryHoverBackground': '#000000',
      'focusBorder': '#f38518', 'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f48771',
      'errorForeground': '#f48771', 'editorHoverWidget-foreground': '#ffffff', 'editorHoverWidget-background': '#0c141f',
      'editorHoverWidget-border': '#6fc3df', 'widget-shadow': 'transparent',
    },
  },
};

export function themeCss(name: ThemeName): string {
  return `html { ${Object.entries(THEMES[name].vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} }`;
}
