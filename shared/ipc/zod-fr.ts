// zod speaks French in this app: schema messages reach the officer through the envelope.
import { z } from 'zod';

z.config(z.locales.fr());
