/**
 * Common given names from many countries, lower case, to recognise a column of person names by its values. Names that
 * are also ordinary English words (May, Will, Mark, Grace, Rose, Max, Hope, Joy…) are left out on purpose: a product
 * or status column must not look like people. A hint only, never proof — the suggestion is reviewed.
 */
export const GIVEN_NAMES: ReadonlySet<string> = new Set(
  `
aaliyah aaron abdul abigail adam adrian ahmed aisha alan albert alejandro alessandro alexander alexandra alexis ali
alice alicia alina amanda amelia amir amy ana andrea andreas andrew angela ann anna anne anthony antonio arjun
arthur ava barbara beatriz benjamin bernard betty brandon brian camila carlos carmen caroline catherine charles
charlotte chen chloe christian christina christine christopher claire claudia daniel david deborah dennis diana
diego dimitri donald dorothy dylan edward elena elif elizabeth ella emily emma eric esther ethan eva fatima felipe
fernando francesca francisco frank gabriel gabriela george giorgio giovanni giulia hannah hans harold harry helen
henry hiroshi hugo ibrahim ingrid isabel isabella ivan jacob james jan jane janet jason javier jean jennifer
jessica joan joao john jonathan jose joseph joshua juan julia julian justin karen karl katarzyna kenji kevin
kimberly klaus laura lauren leonardo liam linda lisa lorenzo louis lucas lucia luis lukas madison magdalena
manuel marco margaret maria marie marina mario martin mary matteo matthew mehmet melissa mia michael michelle
miguel mohammed muhammad nancy natalia natasha nathan nicholas nicole noah nora olga oliver olivia omar oscar pablo
patricia paul pedro peter philip pierre priya rachel rafael rahul raj rebecca richard robert roberto rachel ryan
samantha samuel sandra sara sarah sebastian sergei sharon sofia sophia sophie stefan stephanie stephen steven susan
sven thomas timothy valentina vanessa victoria vincent wei william xavier yan yasmin yuki yusuf zainab zoe
`
    .trim()
    .split(/\s+/),
);
