import { visitCalendar } from '../../../core/notify/calendar';
import { timeZoneOf } from '../../../core/notify/school-days';
import type { ObservationRequest, Person, RequestDecline, School } from '../../../core/model/records';
import { downloadFile } from '../../shared/download-file';
import { href } from '../../shell/router.svelte';
import { locale } from '../../i18n/locale.svelte';

export interface VisitToDownload {
  request: ObservationRequest;
  decline: RequestDecline | undefined;
  requester: Person | undefined;
  observer: Person | undefined;
  observed: Person | undefined;
  school: School | undefined;
}

/**
 * Downloads a planned visit for the teacher's own calendar (`meekijken-lesbezoek-<day>.ics`): the same event the
 * school server sends by e-mail (src/core/notify/calendar.ts), in the app's language, at the school's time. For a
 * withdrawn or declined request it is the cancellation, which takes the visit out of a calendar that imported it.
 */
export function downloadVisit({ request, decline, requester, observer, observed, school }: VisitToDownload): void {
  const person = (found: Person | undefined, id: string) => ({ id, name: found?.name ?? '' });
  const text = visitCalendar({
    request,
    ...(decline ? { decline } : {}),
    requester: person(requester, request.requesterId),
    observer: person(observer, request.observerId),
    observed: person(observed, request.observedId),
    timeZone: timeZoneOf(school),
    method: 'PUBLISH',
    url: new URL(href({ name: 'request', id: request.id }), location.href).href,
    language: locale.current,
    now: Date.now(),
  });
  if (text) downloadFile(`meekijken-lesbezoek-${request.plannedOn}.ics`, text, 'text/calendar;charset=utf-8');
}
