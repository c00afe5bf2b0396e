import { AppShell, Group, NavLink, Select, Text, Title } from '@mantine/core';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { call } from './api';
import { ConventionContext } from './conventionContext';
import { ConventionPage } from './features/convention/ConventionPage';
import { DocumentsPage } from './features/documents/DocumentsPage';
import { HomePage } from './features/home/HomePage';
import { JustificationPage } from './features/justification/JustificationPage';
import { MarchePage } from './features/marche/MarchePage';
import { RecensementPage } from './features/recensement/RecensementPage';
import { SauvegardePage } from './features/sauvegarde/SauvegardePage';
import { StartupBanner } from './features/sauvegarde/StartupBanner';
import { SessionsPage } from './features/sessions/SessionsPage';
import { MAIN_ID, focusMainHeading, useFocusOnRouteChange, useFocusRescue } from './focusOnNavigate';
import { navigate, useRoute } from './router';
import { NAV } from './steps';
import { useLoad } from './useLoad';

const SELECTED_KEY = 'fne-convention';

export function App() {
  const route = useRoute();
  const [refreshKey, setRefreshKey] = useState(0);
  const [chosen, setChosen] = useState(0); // how many times the officer chose a convention in the header
  const [conventionId, setConventionIdState] = useState<number | null>(() => {
    const v = Number(localStorage.getItem(SELECTED_KEY));
    return Number.isInteger(v) && v > 0 ? v : null;
  });
  const conventions = useLoad(() => call('convention.list', {}), [refreshKey]);
  const setConventionId = (id: number | null) => {
    setConventionIdState(id);
    if (id === null) localStorage.removeItem(SELECTED_KEY);
    else localStorage.setItem(SELECTED_KEY, String(id));
  };
  // Fall back to the latest convention when none (or a deleted one) is selected.
  useEffect(() => {
    const list = conventions.data;
    if (!list) return;
    if (list.length === 0) {
      if (conventionId !== null) setConventionId(null);
    } else if (conventionId === null || !list.some((c) => c.id === conventionId)) setConventionId(list[0].id);
  }, [conventions.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const ctxValue = useMemo(
    () => ({ conventionId, setConventionId, refreshKey, refresh: () => setRefreshKey((k) => k + 1) }),
    [conventionId, refreshKey],
  );
  const section = route[0] ?? '';
  useFocusOnRouteChange(route.join('/'));
  useFocusRescue();
  let page;
  switch (section) {
    case 'convention':
      page = <ConventionPage route={route.slice(1)} />;
      break;
    case 'recensement':
      page = <RecensementPage route={route.slice(1)} />;
      break;
    case 'marche':
      page = <MarchePage route={route.slice(1)} />;
      break;
    case 'sessions':
      page = <SessionsPage route={route.slice(1)} />;
      break;
    case 'justification':
      page = <JustificationPage route={route.slice(1)} />;
      break;
    case 'sauvegardes':
      page = <SauvegardePage route={route.slice(1)} />;
      break;
    case 'documents':
      page = <DocumentsPage route={route.slice(1)} />;
      break;
    default:
      page = <HomePage />;
  }
  // One screen per address and per convention chosen: going from one record's page to another's
  // (structure A → structure B), or choosing another convention in the header, starts the screen
  // afresh, so that no form keeps the values of the record seen before. (The convention selected
  // automatically at start-up does not count: the officer may already be typing.)
  page = <Fragment key={`${chosen}:${route.join('/')}`}>{page}</Fragment>;

  return (
    <ConventionContext.Provider value={ctxValue}>
      <a
        href="#contenu"
        className="fne-skip-link"
        onClick={(e) => {
          e.preventDefault(); // hash routing: keep the current screen, only move the focus
          focusMainHeading();
        }}
      >
        Aller au contenu
      </a>
      <AppShell header={{ height: 60 }} navbar={{ width: 270, breakpoint: 'sm' }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <Title order={2} size="h4">
                FNE Formations
              </Title>
              <Text size="sm" c="dimmed" visibleFrom="md">
                Enveloppe formation France Numérique Ensemble
              </Text>
            </Group>
            <Select
              aria-label="Convention de travail"
              placeholder={conventions.data?.length === 0 ? 'Aucune convention' : 'Choisir une convention'}
              data={(conventions.data ?? []).map((c) => ({ value: String(c.id), label: c.label }))}
              value={conventionId === null ? null : String(conventionId)}
              onChange={(v) => {
                setConventionId(v ? Number(v) : null);
                setChosen((n) => n + 1);
              }}
              w={340}
              allowDeselect={false}
            />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" component="nav" aria-label="Étapes">
          {NAV.map((n) => (
            <NavLink
              key={n.path}
              href={`#/${n.path}`}
              label={n.label}
              active={section === n.path}
              variant="filled"
              aria-current={section === n.path ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(n.path);
              }}
            />
          ))}
        </AppShell.Navbar>
        <AppShell.Main id={MAIN_ID}>
          <StartupBanner section={section} />
          {page}
        </AppShell.Main>
      </AppShell>
    </ConventionContext.Provider>
  );
}
