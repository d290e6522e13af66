import { describe, expect, it } from "vitest";
import { columnWords } from "../../src/discover/column-words.ts";
import { categoryFromName, isPeopleTable, isTimestampName, NAME_RULES } from "../../src/discover/name-rules.ts";
import { FIDESLANG_DATA_CATEGORIES } from "../../src/manifest/taxonomy/fideslang.ts";

const category = (column: string, table = "things") => categoryFromName(table, column)?.category;

describe("column words", () => {
  it("splits snake, camel, kebab and digits alike", () => {
    expect(columnWords("date_of_birth")).toEqual(["date", "of", "birth"]);
    expect(columnWords("dateOfBirth")).toEqual(["date", "of", "birth"]);
    expect(columnWords("DATE-OF-BIRTH")).toEqual(["date", "of", "birth"]);
    expect(columnWords("IPAddress")).toEqual(["ip", "address"]);
    expect(columnWords("address1")).toEqual(["address", "1"]);
  });
});

describe("categories from column names", () => {
  it("every rule names a fideslang data category", () => {
    const keys = new Set(FIDESLANG_DATA_CATEGORIES.map((c) => c.key));
    expect(NAME_RULES.map((r) => r.category).filter((c) => !keys.has(c))).toEqual([]);
  });

  it.each([
    ["email", "user.contact.email"],
    ["emailAddress", "user.contact.email"],
    ["contact_email", "user.contact.email"],
    ["phone", "user.contact.phone_number"],
    ["mobile_number", "user.contact.phone_number"],
    ["ip_address", "user.device.ip_address"],
    ["last_login_ip", "user.device.ip_address"],
    ["first_name", "user.name.first"],
    ["givenName", "user.name.first"],
    ["surname", "user.name.last"],
    ["display_name", "user.name"],
    ["dob", "user.demographic.date_of_birth"],
    ["birth_date", "user.demographic.date_of_birth"],
    ["street", "user.contact.address.street"],
    ["address_line_1", "user.contact.address.street"],
    ["city", "user.contact.address.city"],
    ["zip", "user.contact.address.postal_code"],
    ["postal_code", "user.contact.address.postal_code"],
    ["country_code", "user.contact.address.country"],
    ["billing_address", "user.contact.address"],
    ["device_id", "user.device.device_id"],
    ["cookie_id", "user.device.cookie_id"],
    ["mac_address", "user.device"],
    ["password_hash", "user.authorization.password"],
    ["card_number", "user.financial.credit_card"],
    ["iban", "user.financial.bank_account"],
    ["ssn", "user.government_id.national_identification_number"],
    ["passport_no", "user.government_id.passport_number"],
    ["user_id", "user.unique_id"],
  ])("%s → %s", (column, expected) => {
    expect(category(column)).toBe(expected);
  });

  it.each([
    "email_verified_at",
    "password_changed_at",
    "phone_type",
    "email_count",
    "address_id",
    "card_id",
    "scorecard",
    "unzipped_size",
    "company",
    "status",
    "total",
    "course_name",
  ])("%s → nothing", (column) => {
    expect(category(column)).toBeUndefined();
  });

  it("takes a bare `name` for a person only in a table of people", () => {
    expect(category("name", "customers")).toBe("user.name");
    expect(categoryFromName("customers", "name")?.reason).toBe(
      'the column is named "name" in a table of people ("customers")',
    );
    expect(category("name", "products")).toBeUndefined();
    expect(isPeopleTable("user_profiles")).toBe(true);
    expect(isPeopleTable("orders")).toBe(false);
  });

  it("tells timestamp-like names apart", () => {
    expect(
      ["created_at", "shipped_on", "order_date", "updatedTime", "last_modified_by", "valid_from", "trial_end"].every(
        isTimestampName,
      ),
    ).toBe(true);
    expect(["dob", "born", "d1", "birthday"].map(isTimestampName)).toEqual([false, false, false, false]);
  });
});
