import '@mantine/core/styles.css';
import './app.css';
import { FileInput, MantineProvider, MultiSelect, Select, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initApi } from './api';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';

initApi();

const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 6 },
  fontFamily: '"DejaVu Sans", "Segoe UI", system-ui, sans-serif',
  defaultRadius: 'sm',
  // Mantine's clear buttons have no accessible name: give every one a French label (axe).
  components: {
    Select: Select.extend({ defaultProps: { clearButtonProps: { 'aria-label': 'Effacer la sélection' } } }),
    MultiSelect: MultiSelect.extend({ defaultProps: { clearButtonProps: { 'aria-label': 'Effacer la sélection' } } }),
    FileInput: FileInput.extend({ defaultProps: { clearButtonProps: { 'aria-label': 'Retirer le fichier choisi' } } }),
  },
});

// Contrast (WCAG AA): the officer reads these screens all day, often on a dim laptop; Mantine's
// default dimmed grey and link blue are too light on white and on light alerts.
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#495057', '--mantine-color-anchor': 'var(--mantine-color-indigo-9)', '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </MantineProvider>
  </StrictMode>,
);
