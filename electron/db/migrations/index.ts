// The ordered list of migrations. Each capability owns its numbered file; once a version has
// been released, never edit its migration: add a new one.
import type { Migration } from '../migrate';
import { m0001 } from './0001_convention_pieces';
import { m0002 } from './0002_recensement';
import { m0003 } from './0003_marche';
import { m0004 } from './0004_sessions';
import { m0005 } from './0005_justification';
import { m0006 } from './0006_documents';
import { m0007 } from './0007_deja_sensibilise';
import { m0008 } from './0008_marche_regles';
import { m0009 } from './0009_demi_journee_partie';
import { m0010 } from './0010_ac_connexion';
import { m0011 } from './0011_retention';
import { m0012 } from './0012_ac_financement';

export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012];
