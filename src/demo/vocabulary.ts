/**
 * Word lists the demo generator draws from. All values are invented; e-mail domains and IP ranges are the ones
 * reserved for documentation (RFC 2606, RFC 5737, RFC 3849), so no demo row can name a real mailbox or host.
 * No entry contains a tab, a newline, a quote or a backslash, which keeps the bulk-load encoding trivial.
 */

/** Splits a "|"-separated list; keeps the long word lists compact. */
function words(list: string): readonly string[] {
  return list.split("|");
}

export const FIRST_NAMES: readonly string[] = words(
  "Amara|Liam|Sofia|Noah|Yuki|Mateo|Aisha|Lucas|Priya|Ethan|Chloé|Kwame|Zoë|Arjun|Fatima|Oliver|Mei|Diego|Ingrid|Omar|Hana|Tomás|Leila|Jonas|Ana|Ravi|Emma|Chen|Nia|Mohammed|Elif|Kofi|Lucía|Sven|Ayesha|Hugo|Mariana|Daniel|Sara|Kenji|Grace|Ivan|Amani|Felipe|Nadia|Samuel|Ji-woo|Léa|Tariq|Olga|Isaac|Zara|Mikael|Camila|Emeka|Anya|Rafael|Sana|Łukasz|Aroha",
);

export const LAST_NAMES: readonly string[] = words(
  "Okafor|Smith|García|Nguyen|Müller|Kim|Patel|Rossi|Silva|Kowalski|Haddad|Tanaka|Johnson|Mensah|Ivanova|Dubois|Fernández|Chen|Williams|Hernández|Singh|Andersson|Sato|Brown|Adeyemi|Novak|Costa|Yilmaz|Lopez|Murphy|Schmidt|Hassan|Park|Rahman|Moreau|Jansen|Ali|Kuznetsov|Santos|Nakamura|Obi|Larsen|Das|Romero|Wang|Popescu|Ochieng|Bianchi|Khan|Taylor|Mbeki|Lindqvist|Tran|Walker|Ahmed|Kaur|Eriksen|Morales|Abe|Horvat",
);

export const EMAIL_DOMAINS: readonly string[] = words("example.com|example.org|example.net|mail.example|inbox.test");

/** country, weight, main language, telephone calling code, IANA time zone, currency */
export const COUNTRIES: readonly (readonly [string, number, string, string, string, string])[] = [
  ["US", 30, "en", "1", "America/New_York", "USD"],
  ["IN", 14, "en", "91", "Asia/Kolkata", "INR"],
  ["BR", 5, "pt", "55", "America/Sao_Paulo", "BRL"],
  ["MX", 5, "es", "52", "America/Mexico_City", "MXN"],
  ["GB", 5, "en", "44", "Europe/London", "GBP"],
  ["DE", 4, "de", "49", "Europe/Berlin", "EUR"],
  ["FR", 3, "fr", "33", "Europe/Paris", "EUR"],
  ["ES", 3, "es", "34", "Europe/Madrid", "EUR"],
  ["NG", 3, "en", "234", "Africa/Lagos", "NGN"],
  ["EG", 3, "ar", "20", "Africa/Cairo", "EGP"],
  ["CN", 3, "zh", "86", "Asia/Shanghai", "CNY"],
  ["CO", 2, "es", "57", "America/Bogota", "COP"],
  ["PH", 2, "en", "63", "Asia/Manila", "PHP"],
  ["CA", 2, "en", "1", "America/Toronto", "CAD"],
  ["ID", 2, "id", "62", "Asia/Jakarta", "IDR"],
  ["KE", 2, "en", "254", "Africa/Nairobi", "KES"],
  ["JP", 2, "ja", "81", "Asia/Tokyo", "JPY"],
  ["PL", 1, "pl", "48", "Europe/Warsaw", "PLN"],
  ["TR", 1, "tr", "90", "Europe/Istanbul", "TRY"],
  ["KR", 1, "ko", "82", "Asia/Seoul", "KRW"],
  ["NL", 1, "nl", "31", "Europe/Amsterdam", "EUR"],
  ["SE", 1, "sv", "46", "Europe/Stockholm", "SEK"],
  ["AU", 1, "en", "61", "Australia/Sydney", "AUD"],
  ["NZ", 1, "en", "64", "Pacific/Auckland", "NZD"],
];

export const CITIES: readonly string[] = words(
  "Springfield|Riverton|Lakeside|Northgate|Hillcrest|Fairview|Eastport|Westbrook|Maplewood|Greenville|Harbor City|Oakridge|Stonebridge|Brookhaven|Clearwater|Ashford",
);

export const STREETS: readonly string[] = words(
  "Main Street|Station Road|Park Avenue|Church Lane|Market Square|Mill Road|High Street|Garden Row|Lake View|Orchard Way|Kings Road|Victoria Street",
);

export const TOPICS: readonly string[] = words(
  "Machine Learning|Data Analysis|Python Programming|Financial Markets|Public Health|Project Management|Cloud Computing|Psychology|Marketing Analytics|Climate Science|Cybersecurity|Graphic Design|Negotiation|Statistics|Web Development|Supply Chain|Philosophy|Music Theory|Nutrition|Blockchain Basics|UX Research|Linear Algebra|Academic Writing|Spanish for Beginners",
);

export const COURSE_PREFIXES: readonly string[] = words(
  "Introduction to|Foundations of|Applied|Advanced|Practical|Essentials of|Hands-on|Modern",
);

export const CONTENT_PROVIDERS: readonly string[] = words(
  "Northfield University|Lakeshore Institute of Technology|University of Eastmoor|Westvale College|Brightpath Analytics|Summit Cloud Academy|Harborview School of Business|Meridian Health Sciences|Crestline Design Studio|Pinecrest University",
);

export const DEGREE_NAMES = [
  ["Master of Science in Data Science", "MSc"],
  ["Master of Business Administration", "MBA"],
  ["Bachelor of Science in Computer Science", "BSc"],
  ["Master of Public Health", "MPH"],
  ["Master of Computer Science", "MCS"],
  ["Master of Engineering in Cybersecurity", "MEng"],
] as const;

export const LANGUAGES: readonly string[] = words("en|es|fr|pt|de|ar|zh|ja|hi|ru");

export const JOB_TITLES: readonly string[] = words(
  "Software Engineer|Data Analyst|Teacher|Nurse|Product Manager|Accountant|Student|Marketing Specialist|Research Assistant|Civil Engineer|Designer|Sales Associate|Consultant",
);

export const EMPLOYERS: readonly string[] = words(
  "Acme Corp|Globex|Initech|Umbrella Health|Stark Logistics|Wayne Foods|Hooli|Vandelay Imports|City Hospital|State School District|Self-employed",
);

export const EDUCATION_LEVELS: readonly string[] = words(
  "secondary|some_college|associate|bachelor|master|doctorate|professional",
);
export const GENDERS: readonly string[] = words("female|male|non_binary|self_described");
export const AGE_RANGES: readonly string[] = words("13-17|18-24|25-34|35-44|45-54|55-64|65+");
export const EMPLOYMENT: readonly string[] = words("full_time|part_time|self_employed|unemployed|student|retired");
export const LEARNING_GOALS: readonly string[] = words(
  "change careers|get a promotion|learn for fun|prepare for a degree|start a business|help my team",
);

export const LOGIN_PROVIDERS: readonly string[] = words("google|facebook|apple|linkedin");
export const EMAIL_LISTS: readonly string[] = words("product_updates|course_recommendations|newsletter|partner_offers");
export const PAYMENT_PROCESSORS: readonly string[] = words("stripe|braintree|paypal|google_pay|apple_pay|cash_app");
export const PAYMENT_WEIGHTS = [45, 15, 20, 8, 10, 2] as const;

export const SENTENCES: readonly string[] = words(
  "I compared both approaches on the sample data and the second one converged faster.|My answer uses a simple loop first and then rewrites it with a vectorised version.|The case study shows how a small change in pricing shifts demand over two quarters.|I was not sure about question three, so I explained my reasoning step by step.|Attached is my notebook with the cleaned dataset and the final chart.|This week I focused on the trade-offs between precision and recall.|The literature suggests the effect is smaller in rural regions than in cities.|I redesigned the landing page so the call to action is visible without scrolling.|Great structure and clear argument; the conclusion could cite one more source.|The code runs, but the edge case with an empty list is not handled yet.|Nicely explained. A diagram of the pipeline would make it easier to follow.|You mixed up the two definitions in the second paragraph, otherwise solid work.|Does anyone know whether the deadline for the final project was extended?|Here is a summary of the lecture on regression for anyone who missed it.|The video in module two stops playing after about four minutes for me.|Thanks for the explanation, the gradient example finally made it click.",
);

export const CHAT_TOPICS: readonly string[] = words(
  "billing|certificate|account_access|course_content|financial_aid|identity_verification|refund",
);

export const CHAT_LINES: readonly string[] = words(
  "Hi, I cannot download my certificate.|Sorry to hear that. Could you tell me which course it is for?|I was charged twice this month.|I have refunded the duplicate charge; it shows within five business days.|My verification photo was rejected, what should I do?|Please retake the photo in good light with the whole document visible.|How do I reset my password?|I have sent you a reset link. Is there anything else I can help with?",
);

export const QUIZ_ANSWERS: readonly string[] = words("A|B|C|D|true|false|42|0.05|gradient descent|O(n log n)");

export const USER_AGENTS: readonly string[] = words(
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36|Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15|Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0|Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148|Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36|LearningApp/5.12 (Android 13; SM-A536B)|LearningApp/5.12 (iOS 17.5; iPad13,18)",
);

export const SITE = "https://learn.example.com";
export const PAGE_PATHS: readonly string[] = words(
  "/|/browse|/search?query=data|/search?query=python|/learn/{course}|/learn/{course}/home/week/1|/learn/{course}/lecture/{n}|/learn/{course}/quiz/{n}|/learn/{course}/discussions|/degrees|/account/settings|/certificates|/checkout/{course}",
);
export const REFERRERS: readonly string[] = words(
  "https://search.example.net/?q=online+courses|https://social.example.org/feed|https://news.example.com/|https://mail.example/inbox|https://video.example.com/watch",
);

export const CAMPAIGNS: readonly string[] = words(
  "weekly-digest|course-recommendations|new-degree-launch|finish-your-course|holiday-offer|product-news",
);
export const PARTNER_SITES: readonly string[] = words(
  "code-lab.example|notebook-cloud.example|design-canvas.example|lab-sim.example",
);
export const BOOKS: readonly string[] = words(
  "intro-statistics|python-crash-notes|marketing-playbook|ml-handbook|writing-guide|finance-primer",
);
export const AUDIENCES: readonly string[] = words(
  "lookalike-completers|retarget-cart-abandoners|degree-prospects|lapsed-learners|career-switchers",
);
