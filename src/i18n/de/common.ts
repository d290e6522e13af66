/** German: the words both faces share. */
import type { COMMON_EN } from "../en/common.ts";

export const COMMON_DE: Readonly<Record<keyof typeof COMMON_EN, string>> = {
  "common.skip": "Zum Hauptinhalt springen",
  "common.language": "Sprache",
  "common.error_prefix": "Fehler:",
  "common.error_summary": "Es gibt ein Problem",
  "common.continue": "Weiter",
  "common.back": "Zurück",
  "common.save": "Speichern",
  "common.yes": "Ja",
  "common.no": "Nein",
  "common.none": "Keine",
  "common.optional": "(optional)",
  "common.powered": "Datenschutzprozesse mit Steward",
  "common.not_found_title": "Seite nicht gefunden",
  "common.not_found":
    "Unter dieser Adresse gibt es keine Seite. Prüfen Sie die Adresse oder beginnen Sie noch einmal auf der Startseite.",
  "common.failed_title": "Etwas ist schiefgelaufen",
  "common.failed":
    "Das hat gerade nicht geklappt. Es ist nichts verloren gegangen. Versuchen Sie es gleich noch einmal.",
  "common.error_code": "Fehlercode: {code}",

  "common.request_id": "Nennen Sie diese Kennung, wenn Sie uns schreiben: {id}",

  "type.access": "Kopie Ihrer Daten erhalten",
  "type.portability": "Ihre Daten zu einem anderen Dienst mitnehmen",
  "type.erasure": "Ihre Daten löschen lassen",
  "type.rectification": "Ihre Daten berichtigen lassen",
  "type.restriction": "Nutzung Ihrer Daten einschränken",
  "type.objection": "Der Nutzung Ihrer Daten widersprechen",
  "type.opt_out_sale_sharing": "Dem Verkauf und der Weitergabe Ihrer Daten widersprechen",
  "type.opt_in_sale_sharing": "Dem Verkauf und der Weitergabe Ihrer Daten wieder zustimmen",
  "type.access_categories": "Erfahren, welche Arten Ihrer Daten gespeichert sind",
  "type.limit_sensitive": "Nutzung Ihrer sensiblen Daten begrenzen",
  "type.withdraw_consent": "Ihre Einwilligung widerrufen",

  "status.received": "Eingegangen",
  "status.awaiting_verification": "Wartet auf Ihren Code",
  "status.verified": "Bestätigt",
  "status.awaiting_approval": "In Prüfung",
  "status.in_progress": "In Bearbeitung",
  "status.routed": "Weitergeleitet",
  "status.completed": "Abgeschlossen",
  "status.partially_completed": "Teilweise abgeschlossen",
  "status.denied": "Abgelehnt",
  "status.expired": "Abgelaufen",
  "status.cancelled": "Abgebrochen",

  "period.days_one": "{count} Tag",
  "period.days_other": "{count} Tage",
  "period.business_days_one": "{count} Werktag",
  "period.business_days_other": "{count} Werktage",
  "period.months_one": "{count} Monat",
  "period.months_other": "{count} Monate",

  "basis.consent": "Ihre Einwilligung",
  "basis.contract": "unseren Vertrag mit Ihnen",
  "basis.legal_obligation": "eine rechtliche Verpflichtung",
  "basis.vital_interests": "lebenswichtige Interessen einer Person",
  "basis.public_task": "eine Aufgabe im öffentlichen Interesse",
  "basis.legitimate_interests": "unsere berechtigten Interessen",
};
