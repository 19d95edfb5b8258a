import type { RequestState } from '../../../data/records/requests';
import { t } from '../../i18n/locale.svelte';

/** Where a request that still waits stands, in words: waiting for an answer, or declined with the reason. */
export const waitingRequestText = (status: RequestState): string =>
  status.state === 'declined' ? t('home.requestDeclined', { reason: status.decline.reason }) : t('home.requestOpen');
