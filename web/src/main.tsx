import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { Alert, MantineProvider, Modal, NavLink, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { LocaleContext, currentLocale, storeLocale, type Locale } from './i18n.ts';

const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  autoContrast: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Kapat / Close' } } }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
  },
});
// WCAG AA contrast (4.5:1) for error and secondary text on white.
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
  },
  dark: {},
});
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

function Root() {
  const [locale, setLocaleState] = useState<Locale>(currentLocale());
  document.documentElement.lang = locale;
  const setLocale = (next: Locale) => {
    storeLocale(next);
    setLocaleState(next);
    void queryClient.invalidateQueries();
  };
  return (
    <LocaleContext.Provider value={{ locale, setLocale }}>
      <App />
    </LocaleContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={contrast}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Root />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
