/**
 * "Third country" in the GDPR's sense: outside the European Economic Area. The UK is a third country for the EU (it
 * has an adequacy decision, which is a transfer mechanism, not membership).
 */
const EEA = new Set(
  "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO EEA".split(" "),
);

export const isThirdCountry = (code: string): boolean => !EEA.has(code);

/** A member of the European Economic Area (or "EEA" itself). */
export const isInEea = (code: string): boolean => EEA.has(code);

/** The third countries among `countries`. */
export const thirdCountries = (countries: readonly string[]): string[] => countries.filter(isThirdCountry);
