// Side effect only, imported first by main.ts: see ./language.ts.
import { repairNavigatorLanguage } from './language';

repairNavigatorLanguage();
