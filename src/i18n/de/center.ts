/** German: the privacy center, the public pages where a person exercises their rights and makes their choices. */
import type { CENTER_EN } from "../en/center.ts";

export const CENTER_DE: Readonly<Record<keyof typeof CENTER_EN, string>> = {
  "center.nav.label": "Datenschutz-Center",
  "center.nav.home": "Startseite",
  "center.nav.request": "Anfrage stellen",
  "center.nav.choices": "Ihre Einstellungen",
  "center.nav.notice": "Datenschutzhinweise",
  "center.brand_suffix": "Datenschutz-Center",

  "center.home.title": "Ihre Privatsphäre bei {org}",
  "center.home.lead":
    "Erfahren Sie, was wir mit Ihren personenbezogenen Daten tun, nehmen Sie Ihre Rechte wahr und legen Sie fest, was wir dürfen.",
  "center.home.controller": "Wer ist verantwortlich?",
  "center.home.controller_text":
    "{legal} ist Verantwortlicher für Ihre personenbezogenen Daten. Schreiben Sie an {email} oder an die Anschrift unten.",
  "center.home.dpo": "Datenschutzbeauftragte(r): {name}, {email}",
  "center.home.where": "Wo wohnen Sie?",
  "center.home.where_hint":
    "Ihre Rechte hängen davon ab, wo Sie wohnen. Wir haben es anhand Ihres Browsers vermutet. Ändern Sie die Angabe, falls sie nicht stimmt.",
  "center.home.show": "Meine Rechte anzeigen",
  "center.home.rights": "Ihre Rechte in {place}",
  "center.home.rights_law": "Es gilt {law}. Unsere Frist für die Antwort: {deadline}.",
  "center.home.summary": "Was wir mit Ihren Daten tun",
  "center.home.summary_more": "Weitere Zwecke in den Datenschutzhinweisen: {count}.",
  "center.home.read_notice": "Vollständige Datenschutzhinweise lesen",
  "center.home.history": "Frühere Fassungen der Datenschutzhinweise ansehen",
  "center.home.choices": "Ihre Einstellungen verwalten",
  "center.home.choices_text":
    "Schalten Sie optionale Nutzungen Ihrer Daten ein oder aus, zum Beispiel Marketing-E-Mails oder die Aufzeichnung von Sitzungen.",
  "center.home.choices_link": "Einstellungen verwalten",
  "center.home.complain": "Sie können sich auch bei einer Datenschutz-Aufsichtsbehörde beschweren: {authorities}.",
  "center.home.basis": "Gestützt auf {basis}.",

  "center.change.title": "Unsere Datenschutzhinweise ändern sich am {date}",
  "center.change.more": "Alle Änderungen und ihre Bedeutung ansehen",

  "center.explain.access":
    "Wir senden Ihnen eine Kopie der personenbezogenen Daten, die wir über Sie gespeichert haben, und erklären, wie wir sie nutzen.",
  "center.explain.portability":
    "Wir geben Ihnen die Daten, die Sie uns bereitgestellt haben, als maschinenlesbare Datei oder senden sie an einen anderen Anbieter.",
  "center.explain.erasure":
    "Wir löschen Ihre personenbezogenen Daten, außer denen, die wir gesetzlich aufbewahren müssen.",
  "center.explain.rectification": "Wir berichtigen falsche oder unvollständige personenbezogene Daten über Sie.",
  "center.explain.restriction": "Wir behalten Ihre Daten, nutzen sie aber nicht, solange eine Frage dazu geklärt wird.",
  "center.explain.objection":
    "Wir beenden Nutzungen Ihrer Daten, die auf unseren berechtigten Interessen beruhen oder der Werbung dienen.",
  "center.explain.opt_out_sale_sharing":
    "Wir verkaufen Ihre Daten nicht mehr und geben sie nicht mehr für Werbung weiter.",
  "center.explain.limit_sensitive": "Wir nutzen Ihre sensiblen Daten nur für das, was der Dienst braucht.",
  "center.explain.withdraw_consent": "Wir beenden jede Nutzung Ihrer Daten, in die Sie zuvor eingewilligt haben.",

  "center.request.title": "Was möchten Sie tun?",
  "center.request.hint": "Wählen Sie eine Möglichkeit. Danach können Sie eine weitere Anfrage stellen.",
  "center.request.in": "Anfragen für {place}.",
  "center.request.change_place": "Sie wohnen woanders? Ändern Sie das auf der Startseite.",
  "center.request.pick_one": "Wählen Sie aus, was Sie tun möchten",

  "center.details.title": "{type}",
  "center.details.email": "Ihre E-Mail-Adresse",
  "center.details.email_hint":
    "Wir senden einen Code an diese Adresse, um sicherzugehen, dass die Anfrage von Ihnen kommt.",
  "center.details.email_missing": "Geben Sie Ihre E-Mail-Adresse ein",
  "center.details.email_bad": "Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@example.com",
  "center.details.signed_in": "Sie sind als {who} angemeldet. Sie brauchen keinen Code.",
  "center.details.rect_legend": "Welche Angaben sollen wir berichtigen?",
  "center.details.rect_hint": "Füllen Sie nur die Angaben aus, die falsch sind, und zwar mit dem richtigen Wert.",
  "center.details.rect_missing": "Geben Sie mindestens eine Angabe ein, die wir berichtigen sollen",
  "center.details.port_legend": "Wie möchten Sie Ihre Daten erhalten?",
  "center.details.port_file": "Als Datei zum Herunterladen",
  "center.details.port_file_hint": "JSON und CSV, lesbar für andere Dienste.",
  "center.details.port_send": "An einen anderen Anbieter senden",
  "center.details.port_send_hint": "Wir senden die Datei an die Adresse, die Ihnen der Anbieter nennt.",
  "center.details.destination": "Adresse des Anbieters für den Datenempfang",
  "center.details.destination_hint": "Sie beginnt mit https://",
  "center.details.destination_bad": "Geben Sie die Adresse des Anbieters ein, beginnend mit https://",
  "center.details.submit": "Anfrage senden",
  "center.details.what_next":
    "Wir speichern Ihre Anfrage und Ihre E-Mail-Adresse nur, um die Anfrage zu beantworten. Es passiert nichts, bis Sie sie bestätigen.",
  "center.details.not_offered": "Diese Anfrage wird in {place} nicht angeboten",

  "center.verify.title": "Prüfen Sie Ihre E-Mails",
  "center.verify.sent":
    "Wir haben einen 6-stelligen Code an die angegebene Adresse gesendet. Er ist 15 Minuten gültig.",
  "center.verify.code": "Code",
  "center.verify.code_hint": "Die 6 Ziffern aus der E-Mail, zum Beispiel 123456.",
  "center.verify.code_missing": "Geben Sie den Code aus der E-Mail ein",
  "center.verify.code_wrong": "Der Code ist nicht richtig. Prüfen Sie die E-Mail und versuchen Sie es noch einmal",
  "center.verify.code_expired": "Der Code ist abgelaufen. Fordern Sie einen neuen an",
  "center.verify.locked": "Zu viele falsche Codes: Die Anfrage ist gesperrt. Stellen Sie eine neue Anfrage.",
  "center.verify.submit": "Bestätigen",
  "center.verify.resend": "Neuen Code senden",
  "center.verify.resent": "Wir haben einen neuen Code gesendet.",
  "center.verify.resend_wait": "Warten Sie eine Minute, bevor Sie einen neuen Code anfordern",

  "center.status.title": "Ihre Anfrage",
  "center.status.what": "Ihr Anliegen",
  "center.status.received": "Eingegangen am",
  "center.status.reference": "Vorgangsnummer",
  "center.status.state": "Status",
  "center.status.due": "Antwort bis",
  "center.status.due_paused": "{date} (die Frist ist angehalten)",
  "center.status.extended": "Die Frist wurde verlängert.",
  "center.status.next": "Wie es weitergeht",
  "center.status.timeline": "Was bisher passiert ist",
  "center.status.download": "Ihre Daten herunterladen",
  "center.status.download_hint":
    "Eine ZIP-Datei: Ihre Daten als JSON und CSV sowie ein Bericht, der sie erklärt. Verfügbar bis zum {date}.",
  "center.status.download_gone":
    "Der Download ist nicht mehr verfügbar. Stellen Sie eine neue Anfrage, um eine aktuelle Kopie zu erhalten.",
  "center.status.next_download":
    "Laden Sie Ihre Daten mit der Schaltfläche oben herunter oder über den Link in der E-Mail, die wir Ihnen geschickt haben.",
  "center.status.refresh": "Diese Seite aktualisieren",
  "center.status.submitted": "Anfrage bestätigt",
  "center.status.submitted_text":
    "Ihre Anfrage liegt uns vor. Merken Sie sich diese Seite: Hier sehen Sie, wie es weitergeht.",
  "center.status.unknown_title": "Wir können diese Anfrage nicht anzeigen",
  "center.status.unknown":
    "Anfragen sind nur in dem Browser sichtbar, in dem sie gestellt wurden. Öffnen Sie den Link in der E-Mail, die wir Ihnen geschickt haben, oder stellen Sie eine neue Anfrage.",
  "center.status.reason": "Grund",

  "center.joined.title": "Diese Anfrage liegt uns bereits vor",
  "center.joined.text":
    "Eine Anfrage dieser Art für diese E-Mail-Adresse wird bereits bearbeitet. Wir schreiben an diese Adresse, sobald sie erledigt ist.",
  "center.choices.title": "Ihre Einstellungen",
  "center.choices.lead":
    "Legen Sie fest, welche optionalen Nutzungen Ihrer Daten wir in diesem Browser vornehmen dürfen. Sie können das jederzeit ändern.",
  "center.choices.where": "Dies sind die Einstellungen für {place}.",
  "center.choices.optional": "Optionale Nutzungen",
  "center.choices.gpc_title": "Ihr Browser sendet Global Privacy Control",
  "center.choices.gpc_text":
    "Wir verstehen das als Ihren Wunsch, dass wir Ihre personenbezogenen Daten nicht verkaufen oder weitergeben, und haben ihn gespeichert. Unten können Sie einzelne Nutzungen trotzdem wieder einschalten.",
  "center.choices.allowed": "Ein",
  "center.choices.blocked": "Aus",
  "center.choices.now": "Aktuell: {state}. {reason}",
  "center.choices.allow": "{purpose} erlauben",
  "center.choices.object": "Ich widerspreche: {purpose}",
  "center.choices.weighed_title": "Nutzungen auf Grundlage unserer berechtigten Interessen",
  "center.choices.weighed_text":
    "Sie können jeder dieser Nutzungen widersprechen. Teilen Sie es uns mit einem Widerspruch mit: Wir beenden die Nutzung, es sei denn, zwingende Gründe überwiegen Ihre Interessen – dann sagen wir Ihnen, welche.",
  "center.choices.fixed":
    "Für diese Nutzungen gibt es keine Wahl: Sie sind für den Dienst nötig oder gesetzlich vorgeschrieben.",
  "center.choices.save": "Meine Einstellungen speichern",
  "center.choices.saved": "Ihre Einstellungen sind gespeichert",
  "center.choices.saved_text": "Sie gelten ab sofort in diesem Browser.",
  "center.choices.none":
    "Hier gibt es nichts auszuwählen: Dort, wo Sie wohnen, ist jede Nutzung Ihrer Daten für den Dienst nötig oder gesetzlich vorgeschrieben.",
  "center.choices.dpf_title": "Im Rahmen des Data Privacy Framework übermittelte Daten",
  "center.choices.dpf_text":
    "Wenn Ihre Daten aus dem EWR, dem Vereinigten Königreich oder der Schweiz im Rahmen des Data Privacy Framework zu uns gelangen, können Sie widersprechen, dass sie an Dritte weitergegeben oder für einen Zweck genutzt werden, der sich wesentlich von dem Zweck unterscheidet, für den sie erhoben wurden. Sensible Daten nutzen wir so nie ohne Ihre ausdrückliche Einwilligung.",
  "center.choices.dpf_purposes": "Nutzungen, bei denen Daten an Dritte gehen: {purposes}.",
  "center.choices.dpf_other": "Für alles andere können Sie Widerspruch einlegen.",
  "center.choices.sale": "Verkauf oder Weitergabe",
  "center.choices.sensitive": "Sensible Daten",

  "decision.under_age":
    "Sie haben das Mindestalter noch nicht erreicht. Es findet nur statt, was gesetzlich vorgeschrieben ist.",
  "decision.restriction": "Ihre Einschränkung der Verarbeitung gilt seit dem {since}.",
  "decision.objection": "Sie haben am {since} widersprochen.",
  "decision.withdrawn": "Sie haben dies am {since} ausgeschaltet.",
  "decision.gpc": "Das Signal Global Privacy Control Ihres Browsers hat dies am {since} ausgeschaltet.",
  "decision.consent_given": "Sie haben dies am {since} erlaubt.",
  "decision.reconsent_needed":
    "Sie haben es am {since} erlaubt, aber es umfasst jetzt mehr als damals beschrieben: Es bleibt aus, bis Sie es erneut erlauben.",
  "decision.default_opt_in": "Bleibt ausgeschaltet, bis Sie es erlauben.",
  "decision.default_opt_out": "Ist eingeschaltet, solange Sie es nicht ausschalten.",
  "decision.notice_only": "Diese Nutzung ist erforderlich für {basis}.",

  "center.history.title": "Frühere Fassungen der Datenschutzhinweise",
  "center.history.lead": "Alle Fassungen der Datenschutzhinweise, die neueste zuerst, jeweils mit den Änderungen.",
  "center.history.current": "Gültig",
  "center.history.material": "Wesentliche Änderung",
  "center.history.minor": "Geringfügige Änderung",
  "center.history.recorded": "Hier veröffentlicht am {date}",
  "center.history.effective": "Fassung vom {date}",
  "center.history.read": "Diese Fassung lesen",
  "center.history.changes": "Was sich geändert hat",
  "center.history.none": "Es sind keine früheren Fassungen gespeichert.",

  "center.signed_in.bad":
    "Die Anmeldung über {org} konnte nicht geprüft werden. Melden Sie sich dort erneut an oder nutzen Sie Ihre E-Mail-Adresse.",
};
