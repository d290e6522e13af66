/** German: what a person reads about their request (what they asked for, the timeline, what is left). */
import type { REQUESTS_EN } from "../en/requests.ts";

export const REQUESTS_DE: Readonly<Record<keyof typeof REQUESTS_EN, string>> = {
  "asked.access": "eine Kopie Ihrer personenbezogenen Daten",
  "asked.portability": "Ihre Daten in einem maschinenlesbaren Format",
  "asked.erasure": "die Löschung Ihrer personenbezogenen Daten",
  "asked.rectification": "die Berichtigung Ihrer personenbezogenen Daten",
  "asked.restriction": "die Einschränkung der Verarbeitung Ihrer personenbezogenen Daten",
  "asked.objection": "Ihr Widerspruch gegen die Nutzung Ihrer personenbezogenen Daten",
  "asked.opt_out_sale_sharing": "Ihr Widerspruch gegen den Verkauf und die Weitergabe Ihrer personenbezogenen Daten",
  "asked.opt_in_sale_sharing": "Ihre Einwilligung in den Verkauf und die Weitergabe Ihrer personenbezogenen Daten",
  "asked.access_categories": "eine Aufstellung der Arten personenbezogener Daten, die wir über Sie speichern",
  "asked.limit_sensitive": "die Begrenzung der Nutzung Ihrer sensiblen personenbezogenen Daten",
  "asked.withdraw_consent": "der Widerruf Ihrer Einwilligung",

  "timeline.received": "Wir haben Ihre Anfrage erhalten: {what}.",
  "timeline.received_due": "Wir haben Ihre Anfrage erhalten: {what}. Wir antworten spätestens bis zum {due}.",
  "timeline.code_sent": "Wir haben einen Code an Ihre E-Mail-Adresse gesendet.",
  "timeline.mail_sent": "Wir haben Ihnen dazu eine E-Mail geschickt.",
  "timeline.code_failed": "Wir konnten den Code nicht senden. Sie können einen neuen anfordern.",
  "timeline.code_wrong": "Es wurde ein falscher Code eingegeben.",
  "timeline.locked": "Die Anfrage wurde nach zu vielen falschen Codes gesperrt. Sie wurde nicht bearbeitet.",
  "timeline.joined": "Dieselbe Anfrage wurde noch einmal gestellt. Wir haben diese hier weiterbearbeitet.",
  "timeline.verified_account": "Sie waren angemeldet. Daher wissen wir, dass die Anfrage von Ihnen kommt.",
  "timeline.verified_host_event":
    "Uns wurde mitgeteilt, dass Sie das Mindestalter für den Dienst nicht erreichen. Daher löschen wir Ihre Daten, wie es das Gesetz verlangt.",
  "timeline.verified_none": "Für diese Art von Anfrage müssen Sie nicht nachweisen, wer Sie sind.",
  "timeline.verified": "Sie haben bestätigt, dass die Anfrage von Ihnen kommt.",
  "timeline.awaiting_approval": "Unser Datenschutzteam prüft die Anfrage, bevor wir sie ausführen.",
  "timeline.approved": "Unser Datenschutzteam hat die Anfrage freigegeben.",
  "timeline.choice_applied":
    "Wir haben Ihre Entscheidung gespeichert. Sie gilt ab jetzt für die Verarbeitung Ihrer Daten.",
  "timeline.started": "Wir haben mit der Bearbeitung begonnen.",
  "timeline.retried": "Wir versuchen noch einmal den Teil, der nicht erledigt werden konnte.",
  "timeline.completed": "Erledigt.",
  "timeline.partially_completed":
    "Ein Teil ist erledigt. Der Rest konnte noch nicht erledigt werden; wir arbeiten weiter daran.",
  "timeline.denied": "Wir konnten die Anfrage nicht ausführen: {reason}",
  "timeline.extended": "Wir brauchen mehr Zeit: {reason}",
  "timeline.extended_due": "Wir brauchen mehr Zeit: {reason} Wir antworten jetzt bis zum {due}.",
  "timeline.paused": "Die Frist ist angehalten: {reason}",
  "timeline.resumed": "Die Frist läuft wieder.",
  "timeline.cancelled": "Die Anfrage wurde abgebrochen.",
  "timeline.expired": "Die Anfrage ist abgelaufen, weil sie nie bestätigt wurde.",
  "timeline.transmitted": "Wir haben Ihre Daten an den von Ihnen genannten Anbieter gesendet.",
  "timeline.transmission_failed":
    "Der von Ihnen genannte Anbieter hat Ihre Daten noch nicht angenommen; wir versuchen es weiter.",
  "timeline.downloaded": "Die Kopie Ihrer Daten wurde heruntergeladen.",

  "next.enter_code": "Geben Sie den Code ein, den wir an Ihre E-Mail-Adresse gesendet haben.",
  "next.working": "Nichts. Wir bearbeiten die Anfrage und schreiben Ihnen, sobald sie erledigt ist.",
  "next.review": "Nichts. Unser Datenschutzteam prüft die Anfrage, danach führen wir sie aus.",
  "next.routed": "Nichts. Der Verantwortliche für diese Daten antwortet Ihnen. Wir behalten die Anfrage im Blick.",
  "next.download": "Laden Sie Ihre Daten über den Link in unserer E-Mail herunter.",
  "next.done": "Nichts. Die Anfrage ist erledigt.",
  "next.partial": "Nichts. Wir arbeiten am restlichen Teil weiter und schreiben Ihnen.",
  "next.nothing": "Nichts.",
};
