"""English words that tell what a name is and how a sentence is built: abbreviations for
the sentence splitter, kind words at the end of names, titles before and after people's
names, anaphoric nouns, list heads and the small function-word tables the rules use."""

from __future__ import annotations

__all__ = [
    "ABBREVIATIONS",
    "AGENT_PLACES",
    "ANAPHOR_NOUNS",
    "AND_JOINABLE",
    "APPOSITIVE_NOUNS",
    "BYLINE_VERBS",
    "CITY_FOLLOWERS",
    "COUNTABLE_NOUNS",
    "DEMONYMS",
    "EVENT_HEADS",
    "FOR_HEADS",
    "GLUE_WORDS",
    "IRREGULAR_VERBS",
    "KIND_HEADS",
    "KOREAN_SURNAMES",
    "LIST_HEADS",
    "MONTHS",
    "NAME_PARTICLES",
    "NATIONALITIES",
    "NOT_VERBS",
    "OF_HEADS",
    "ORDINAL_WORDS",
    "PLACE_NOUNS_AFTER",
    "PREMISES_NOUNS",
    "PROGRAMME_NOUNS",
    "SENTENCE_STARTERS",
    "STOP_CAPS",
    "STRATEGIC_ADJECTIVES",
    "SUFFIX_LIKE_TITLES",
    "TALENT_NOUNS",
    "TITLES",
    "TITLE_ANAPHORS",
    "TITLE_MODIFIERS",
    "TWO_WORD_HEADS",
    "UNDER_MODIFIERS",
    "WEEKDAYS",
]


def _words(text: str) -> list[str]:
    return text.split()


# Abbreviations written with a final dot (lower-cased) and how the splitter treats them:
#   title    -- always followed by a name: never ends a sentence (Mr., Dr., Prof.)
#   month    -- ends a sentence only before a common sentence opener, never before a number
#   suffix   -- may end a sentence (Inc., Co., U.S.): only before a common sentence opener
#   latin    -- e.g., i.e.: never ends a sentence
ABBREVIATIONS: dict[str, str] = {
    **dict.fromkeys(
        _words(
            "mr. mrs. ms. dr. prof. gen. sen. rep. gov. lt. col. capt. sgt. rev. hon. pres. supt. "
            "messrs. mme. mlle. fr. maj. adm. cmdr. insp. det. amb. sr. jr. st. mt. ft. no. nos. "
            "vol. art. fig. approx. dept. univ. assn. bros. ave. blvd. rd."
        ),
        "title",
    ),
    **dict.fromkeys(_words("jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec."), "month"),
    **dict.fromkeys(
        _words(
            "inc. corp. co. ltd. plc. llc. l.l.c. u.s. u.k. u.n. e.u. u.s.a. p.m. a.m. etc. vs. "
            "cf. al. ph.d. m.a. b.a. s.a. n.v. a.g. gmbh."
        ),
        "suffix",
    ),
    **dict.fromkeys(["e.g.", "i.e.", "viz."], "latin"),
}
# Some titles stay abbreviations only where the sentence goes on ("St. Louis", "No. 5").
SUFFIX_LIKE_TITLES = frozenset(
    {
        "st.",
        "no.",
        "nos.",
        "vol.",
        "art.",
        "fig.",
        "jr.",
        "sr.",
        "ave.",
        "blvd.",
        "rd.",
        "bros.",
        "dept.",
        "univ.",
        "assn.",
        "approx.",
    }
)

# Capitalised words that commonly open an English sentence (used after suffix abbreviations).
SENTENCE_STARTERS: frozenset[str] = frozenset(
    _words(
        "The A An He She It They We I You His Her Its Their Our This That These Those There Here "
        "In On At For From With By After Before During Since While When Where If As But And Or So "
        "Yet Also However Meanwhile Moreover Furthermore According Last Next Earlier Later Under "
        "Over Among Both Each Every Some Many Most All One Two Three Other Such Still Then Now "
        "Today Yesterday Tomorrow This Officials Experts Analysts Critics"
    )
)

# Capitalised words that are no part of a name when they open a chain of capitalised words.
STOP_CAPS: frozenset[str] = frozenset(
    _words(
        "The A An He She It They We I You His Her Its Their Our My Your This That These Those "
        "There Here In On At For From With By After Before During Since While When Where Why How "
        "What Which Who Whom Whose If As But And Or Nor So Yet Also However Meanwhile Moreover "
        "Furthermore Instead Thus Therefore Although Though Because Unless Until Once Whether "
        "According Last Next Earlier Later Under Over Among Between Both Each Every Some Many "
        "Most More Less Few Several All Any No Not None One Two Three Four Five Six Seven Eight "
        "Nine Ten Other Another Such Still Then Now Today Yesterday Tomorrow Tonight Currently "
        "Recently Already Only Even Just Including Despite Through Throughout "
        "Within Without Toward Towards Into Onto Upon About Around Against Along Alongside Amid "
        "Besides Beyond Like Unlike Via Per Officials Experts Analysts Critics Residents "
        "Researchers Engineers Students Companies Startups Universities Investors Participants "
        "Organisers Organizers Attendees Speakers Yes Please Thanks Thank Welcome Dear Mr Ms Mrs"
    )
)

MONTHS: frozenset[str] = frozenset(
    _words(
        "January February March April May June July August September October November December "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
    )
)
WEEKDAYS: frozenset[str] = frozenset(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
NATIONALITIES: frozenset[str] = frozenset(
    _words(
        "Korean Korea's Japanese Chinese American Canadian French German British English "
        "Vietnamese Indian Indonesian Thai Singaporean Taiwanese Australian Italian Spanish Dutch "
        "Swiss Swedish Norwegian Danish Finnish Russian Ukrainian Polish Israeli Turkish "
        "Brazilian Mexican Moroccan Egyptian Saudi Emirati European Asian African Western Eastern "
        "Northern Southern Middle Latin Nordic Arab Filipino Malaysian Mongolian Uzbek Kazakh "
        "Belgian Austrian Irish Scottish Portuguese Greek Czech Hungarian"
    )
)
# Lower-case words allowed inside a name between two capitalised words.
NAME_PARTICLES: frozenset[str] = frozenset(
    _words("de du des la le van von der den del della di da dos das bin al el ter ten zu")
)

# last word of a name -> class
KIND_HEADS: dict[str, str] = {
    # universities
    "University": "University",
    "College": "University",
    "Polytechnic": "University",
    "Universität": "University",
    "Université": "University",
    # research
    "Institute": "ResearchOrganization",
    "Laboratory": "ResearchOrganization",
    "Laboratories": "ResearchOrganization",
    "Observatory": "ResearchOrganization",
    "Academy": "ResearchOrganization",
    "Lab": "ResearchOrganization",
    # government
    "Ministry": "GovernmentBody",
    "Agency": "GovernmentBody",
    "Commission": "GovernmentBody",
    "Administration": "GovernmentBody",
    "Office": "GovernmentBody",
    "Authority": "GovernmentBody",
    "Department": "GovernmentBody",
    "Bureau": "GovernmentBody",
    "Council": "GovernmentBody",
    "Assembly": "GovernmentBody",
    "Government": "GovernmentBody",
    "Parliament": "GovernmentBody",
    "Embassy": "GovernmentBody",
    "Consulate": "GovernmentBody",
    "Service": "GovernmentBody",
    "Senate": "GovernmentBody",
    "Court": "GovernmentBody",
    "Police": "GovernmentBody",
    # companies
    "Inc.": "Company",
    "Inc": "Company",
    "Corp.": "Company",
    "Corp": "Company",
    "Corporation": "Company",
    "Co.": "Company",
    "Ltd.": "Company",
    "Ltd": "Company",
    "LLC": "Company",
    "PLC": "Company",
    "GmbH": "Company",
    "AG": "Company",
    "Electronics": "Company",
    "Robotics": "Company",
    "Technologies": "Company",
    "Labs": "Company",
    "Motors": "Company",
    "Pharmaceuticals": "Company",
    "Pharma": "Company",
    "Biotech": "Company",
    "Bio": "Company",
    "Semiconductor": "Company",
    "Systems": "Company",
    "Solutions": "Company",
    "Holdings": "Company",
    "Group": "Company",
    "Ventures": "Company",
    "Capital": "Company",
    "Partners": "Company",
    "Industries": "Company",
    "Investment": "Company",
    "Investments": "Company",
    "Securities": "Company",
    "Airlines": "Company",
    "Telecom": "Company",
    "Energy": "Company",
    "Bank": "Company",
    # associations
    "Association": "Association",
    "Foundation": "Association",
    "Network": "Association",
    "Federation": "Association",
    "Society": "Association",
    "Alliance": "Association",
    "Union": "Association",
    "Club": "Association",
    "Consortium": "Association",
    "Chamber": "Association",
    "Coalition": "Association",
    # facilities
    "Center": "Facility",
    "Centre": "Facility",
    "Campus": "Facility",
    "Valley": "Facility",
    "Hub": "Facility",
    "Park": "Facility",
    "Complex": "Facility",
    "District": "Facility",
    "Tower": "Facility",
    "Cluster": "Facility",
    "Square": "Facility",
    "Hall": "Facility",
    "Stadium": "Facility",
    "Arena": "Facility",
    "Airport": "Facility",
    "Station": "Facility",
    "Port": "Facility",
    "Plant": "Facility",
    "Factory": "Facility",
    "Museum": "Facility",
    "Hotel": "Facility",
    "Building": "Facility",
    "Plaza": "Facility",
    "Town": "Facility",
    "Village": "Facility",
    "Zone": "Facility",
    "Hospital": "Facility",
    "Library": "Facility",
    "Palace": "Facility",
    "Terminal": "Facility",
    "Bridge": "Facility",
    "Dome": "Facility",
    "Capitol": "Facility",
    # places
    "Province": "AdministrativeArea",
    "County": "AdministrativeArea",
    "Prefecture": "AdministrativeArea",
    "Region": "AdministrativeArea",
    "City": "City",
}

# two last words -> class (checked before the last word alone)
TWO_WORD_HEADS: dict[tuple[str, str], str] = {
    ("Research", "Center"): "ResearchOrganization",
    ("Research", "Centre"): "ResearchOrganization",
    ("R&D", "Center"): "ResearchOrganization",
    ("Research", "Institute"): "ResearchOrganization",
    ("Science", "Center"): "ResearchOrganization",
    ("Research", "Foundation"): "ResearchOrganization",
    ("Research", "Council"): "ResearchOrganization",
    ("Business", "School"): "University",
    ("Graduate", "School"): "University",
    ("Tech", "City"): "Facility",
    ("Science", "Park"): "Facility",
    ("Industrial", "Complex"): "Facility",
    ("Convention", "Center"): "Facility",
    ("Convention", "Centre"): "Facility",
    ("Exhibition", "Center"): "Facility",
    ("Metropolitan", "Government"): "City",
    ("City", "Hall"): "Facility",
    ("Chamber", "of"): "Association",
}

# Head words that take an "of" complement inside the name: "University of Montreal".
OF_HEADS: dict[str, str] = {
    "University": "University",
    "College": "University",
    "School": "University",
    "Institute": "ResearchOrganization",
    "Academy": "ResearchOrganization",
    "Ministry": "GovernmentBody",
    "Department": "GovernmentBody",
    "Office": "GovernmentBody",
    "Agency": "GovernmentBody",
    "Commission": "GovernmentBody",
    "Government": "GovernmentBody",
    "Council": "GovernmentBody",
    "Embassy": "GovernmentBody",
    "Bank": "Organization",
    "Chamber": "Association",
    "Federation": "Association",
    "Association": "Association",
    "Society": "Association",
    "Museum": "Facility",
    "Port": "Facility",
    "City": "City",
    "Province": "AdministrativeArea",
    "Republic": "Country",
    "Kingdom": "Country",
    "State": "AdministrativeArea",
    "County": "AdministrativeArea",
}

# Head words that take a "for" complement inside the name: "Agency for Science, Technology
# and Research", "Centre for Intelligent Robotics", "Ministry for Digital Development".
FOR_HEADS: dict[str, str] = {
    "Ministry": "GovernmentBody",
    "Department": "GovernmentBody",
    "Office": "GovernmentBody",
    "Agency": "GovernmentBody",
    "Commission": "GovernmentBody",
    "Council": "GovernmentBody",
    "Institute": "ResearchOrganization",
    "Academy": "ResearchOrganization",
    "Centre": "ResearchOrganization",
    "Center": "ResearchOrganization",
    "Laboratory": "ResearchOrganization",
    "Lab": "ResearchOrganization",
    "School": "University",
    "College": "University",
    "Foundation": "Association",
    "Association": "Association",
    "Society": "Association",
    "Federation": "Association",
    "Alliance": "Association",
    "Coalition": "Association",
    "Fund": "Organization",
    "Network": "Association",
}

# Capitalised words that may stand before 'and' inside one name: "Marina Bay Sands Expo and
# Convention Centre", "Research and Development Center", "Science and Technology Park".
AND_JOINABLE: frozenset[str] = frozenset(
    _words(
        "Expo Exhibition Convention Conference Research Development Science Technology Arts "
        "Culture Cultural Sports Trade Industry Industrial Innovation Business Education "
        "Engineering Design Media Information Communications Tourism Leisure Health Medical"
    )
)

# Last word of an event name.
EVENT_HEADS: dict[str, str] = {
    "Forum": "Conference",
    "Conference": "Conference",
    "Summit": "Conference",
    "Expo": "Conference",
    "Fair": "Conference",
    "Symposium": "Conference",
    "Festival": "Conference",
    "Congress": "Conference",
    "Convention": "Conference",
    "Exhibition": "Conference",
    "Show": "Conference",
    "Week": "Event",
    "Workshop": "Conference",
    "Seminar": "Conference",
    "Hackathon": "Event",
    "Awards": "Event",
    "Games": "Event",
    "Olympiad": "Event",
    "Fest": "Event",
    "Dialogue": "Conference",
    "Meeting": "Conference",
    "Roundtable": "Conference",
}

# nationality adjectives that stand for a country before a kind of company: "South Korean
# robot maker X" (looked up in the gazetteer under the country's name)
DEMONYMS: dict[str, str] = {
    "South Korean": "South Korea",
    "Korean": "South Korea",
    "North Korean": "North Korea",
    "Japanese": "Japan",
    "Chinese": "China",
    "Taiwanese": "Taiwan",
    "American": "United States",
    "U.S.": "United States",
    "US": "United States",
    "Canadian": "Canada",
    "Mexican": "Mexico",
    "Brazilian": "Brazil",
    "British": "United Kingdom",
    "French": "France",
    "German": "Germany",
    "Italian": "Italy",
    "Spanish": "Spain",
    "Dutch": "Netherlands",
    "Swiss": "Switzerland",
    "Swedish": "Sweden",
    "Finnish": "Finland",
    "Norwegian": "Norway",
    "Danish": "Denmark",
    "Belgian": "Belgium",
    "Austrian": "Austria",
    "Irish": "Ireland",
    "Polish": "Poland",
    "Israeli": "Israel",
    "Turkish": "Turkey",
    "Indian": "India",
    "Vietnamese": "Vietnam",
    "Indonesian": "Indonesia",
    "Thai": "Thailand",
    "Malaysian": "Malaysia",
    "Singaporean": "Singapore",
    "Filipino": "Philippines",
    "Australian": "Australia",
    "Saudi": "Saudi Arabia",
    "Emirati": "United Arab Emirates",
    "Russian": "Russia",
    "Ukrainian": "Ukraine",
    "Mongolian": "Mongolia",
    "Czech": "Czechia",
    "Hungarian": "Hungary",
    "Portuguese": "Portugal",
    "Greek": "Greece",
    "Moroccan": "Morocco",
    "Egyptian": "Egypt",
}

# title (lower case, as a word sequence) -> role
#   mayor   -- heads a city or province (mayorOf)
#   head    -- heads an organisation (headOf)
#   member  -- works for an organisation (affiliatedWith)
#   honorific -- says nothing about an organisation
TITLES: dict[str, str] = {
    "mayor": "mayor",
    "governor": "mayor",
    "lord mayor": "mayor",
    "president": "head",
    "vice president": "member",
    "prime minister": "head",
    "minister": "head",
    "vice minister": "member",
    "deputy minister": "member",
    "ceo": "head",
    "chief executive": "head",
    "chief executive officer": "head",
    "chairman": "head",
    "chairwoman": "head",
    "chairperson": "head",
    "chair": "head",
    "director": "head",
    "director-general": "head",
    "director general": "head",
    "executive director": "head",
    "managing director": "head",
    "commissioner": "head",
    "administrator": "head",
    "chancellor": "head",
    "dean": "head",
    "head": "head",
    "secretary-general": "head",
    "secretary general": "head",
    "founder": "head",
    "co-founder": "member",
    "cofounder": "member",
    "superintendent": "head",
    "rector": "head",
    "principal": "head",
    "chief": "head",
    "professor": "member",
    "prof.": "member",
    "associate professor": "member",
    "assistant professor": "member",
    "researcher": "member",
    "senior researcher": "member",
    "research fellow": "member",
    "scientist": "member",
    "lecturer": "member",
    "engineer": "member",
    "analyst": "member",
    "economist": "member",
    "fellow": "member",
    "spokesman": "member",
    "spokeswoman": "member",
    "spokesperson": "member",
    "official": "member",
    "manager": "member",
    "vice chairman": "member",
    "cto": "member",
    "cfo": "member",
    "coo": "member",
    "chief technology officer": "member",
    "chief financial officer": "member",
    "chief operating officer": "member",
    "chief scientist": "member",
    "chief economist": "member",
    "premier": "mayor",
    "provincial governor": "mayor",
    "dr.": "honorific",
    "dr": "honorific",
    "mr.": "honorific",
    "ms.": "honorific",
    "mrs.": "honorific",
    "sen.": "honorific",
    "senator": "honorific",
    "rep.": "honorific",
    "ambassador": "honorific",
    "lawmaker": "honorific",
    "gov.": "mayor",
    "pres.": "head",
}
# words that may stand between an appositive comma and a title: "X, the former CEO of Y"
TITLE_MODIFIERS: frozenset[str] = frozenset(
    _words(
        "former new current incoming outgoing acting interim founding deputy senior junior "
        "longtime long-time then newly-appointed newly appointed assistant associate"
    )
)
# modifiers that make a head's title a member's one: "assistant chief executive"
UNDER_MODIFIERS: frozenset[str] = frozenset(_words("assistant associate deputy vice"))

# Romanised Korean surnames: a name like "Kim Min-jun" is written surname first.
KOREAN_SURNAMES: frozenset[str] = frozenset(
    _words(
        "Kim Lee Yi Rhee Park Pak Bak Choi Choe Jung Jeong Chung Kang Cho Jo Yoon Yun Jang Chang "
        "Lim Im Han Oh Seo Suh Shin Sin Kwon Hwang Ahn An Song Ryu Yoo Yu Hong Jeon Jun Chun Ko "
        "Go Koh Moon Mun Yang Son Sohn Bae Baek Paik Baik Heo Huh Nam Noh Roh No Ha Kwak Sung "
        "Seong Cha Joo Ju Woo Koo Gu Min Jin Ji Um Eom Chae Won Bang Gong Kong Hyun Hyeon Ham "
        "Byun Byeon Yeom Yeo Choo Chu Do Doh So Seok Suk Sun Seon Seol Ma Gil Yeon Wi Pyo Myung "
        "Myeong Ki Ban Wang Geum Ok Yuk Maeng Je Mo Tak Kook Eo Eun Pyeon Ye Kyung Bong Sa Boo "
        "Hwangbo Namgung Jegal Seonwoo Dokgo"
    )
)

# "the city" and its kin: noun -> classes the antecedent may have, nearest first
ANAPHOR_NOUNS: dict[str, tuple[str, ...]] = {
    "city": ("City",),
    "metropolis": ("City",),
    "province": ("AdministrativeArea",),
    "country": ("Country",),
    "nation": ("Country",),
    "ministry": ("GovernmentBody",),
    "agency": ("GovernmentBody",),
    "commission": ("GovernmentBody",),
    "administration": ("GovernmentBody",),
    "office": ("GovernmentBody",),
    "university": ("University",),
    "school": ("University",),
    "college": ("University",),
    "company": ("Company",),
    "firm": ("Company",),
    "startup": ("Company",),
    "start-up": ("Company",),
    "group": ("Company",),
    "institute": ("ResearchOrganization",),
    "laboratory": ("ResearchOrganization",),
    "lab": ("ResearchOrganization",),
    "lender": ("Company",),
    "bank": ("Company", "GovernmentBody"),
    "chipmaker": ("Company",),
    "automaker": ("Company",),
    "carmaker": ("Company",),
    "maker": ("Company",),
    "manufacturer": ("Company",),
    "insurer": ("Company",),
    "retailer": ("Company",),
    "conglomerate": ("Company",),
    "association": ("Association",),
    "foundation": ("Association",),
    "network": ("Association",),
    "chamber": ("Association",),
    "organisation": ("Organization", "Association", "GovernmentBody", "ResearchOrganization"),
    "organization": ("Organization", "Association", "GovernmentBody", "ResearchOrganization"),
    "center": ("Facility", "ResearchOrganization"),
    "centre": ("Facility", "ResearchOrganization"),
    "campus": ("Facility",),
    "complex": ("Facility",),
    "hub": ("Facility",),
    "park": ("Facility",),
    "venue": ("Facility",),
    "district": ("Facility", "AdministrativeArea"),
    "facility": ("Facility",),
    "government": ("Country",),
    "forum": ("Conference", "Event"),
    "conference": ("Conference", "Event"),
    "summit": ("Conference", "Event"),
    "expo": ("Conference", "Event"),
    "fair": ("Conference", "Event"),
    "symposium": ("Conference", "Event"),
    "festival": ("Event", "Conference"),
    "event": ("Event", "Conference"),
    "exhibition": ("Conference", "Event"),
    "convention": ("Conference", "Event"),
}

# "the mayor", "the minister": title words that point back to a person named with them
TITLE_ANAPHORS: frozenset[str] = frozenset(
    _words(
        "mayor governor minister president ceo chairman chairwoman chair professor director "
        "commissioner dean chancellor founder researcher chief"
    )
)

# "X, a company located in Y": the noun of an appositive says what X is
APPOSITIVE_NOUNS: dict[str, str] = {
    "company": "Company",
    "firm": "Company",
    "startup": "Company",
    "start-up": "Company",
    "maker": "Company",
    "manufacturer": "Company",
    "developer": "Company",
    "operator": "Company",
    "carrier": "Company",
    "conglomerate": "Company",
    "chipmaker": "Company",
    "automaker": "Company",
    "unicorn": "Company",
    "university": "University",
    "college": "University",
    "school": "University",
    "institute": "ResearchOrganization",
    "lab": "ResearchOrganization",
    "laboratory": "ResearchOrganization",
    "think tank": "ResearchOrganization",
    "agency": "GovernmentBody",
    "ministry": "GovernmentBody",
    "regulator": "GovernmentBody",
    "association": "Association",
    "foundation": "Association",
    "group": "Association",
    "nonprofit": "Association",
    "non-profit": "Association",
    "network": "Association",
    "city": "City",
    "town": "City",
    "capital": "City",
    "port city": "City",
    "province": "AdministrativeArea",
    "region": "AdministrativeArea",
    "country": "Country",
    "nation": "Country",
    "campus": "Facility",
    "complex": "Facility",
    "hub": "Facility",
    "centre": "Facility",
    "center": "Facility",
    "venue": "Facility",
    "facility": "Facility",
    "site": "Facility",
    "district": "Facility",
    "park": "Facility",
    "testbed": "Facility",
    "plant": "Facility",
    "factory": "Facility",
    "building": "Facility",
    "subsidiary": "Company",
    "affiliate": "Company",
    "investor": "Company",
    "lender": "Company",
    "bank": "Company",
    "insurer": "Company",
    "retailer": "Company",
    "supplier": "Company",
    "designer": "Company",
    "provider": "Company",
    "giant": "Company",
    "forum": "Conference",
    "conference": "Conference",
    "summit": "Conference",
    "event": "Event",
    "festival": "Event",
    "expo": "Conference",
    "fair": "Conference",
}

# "companies such as A, B and C": the plural head says what the members are
LIST_HEADS: dict[str, str] = {
    "companies": "Company",
    "firms": "Company",
    "startups": "Company",
    "start-ups": "Company",
    "businesses": "Company",
    "conglomerates": "Company",
    "chipmakers": "Company",
    "automakers": "Company",
    "tech giants": "Company",
    "big tech": "Company",
    "universities": "University",
    "colleges": "University",
    "schools": "University",
    "institutes": "ResearchOrganization",
    "research institutes": "ResearchOrganization",
    "research institutions": "ResearchOrganization",
    "labs": "ResearchOrganization",
    "laboratories": "ResearchOrganization",
    "ministries": "GovernmentBody",
    "agencies": "GovernmentBody",
    "associations": "Association",
    "foundations": "Association",
    "countries": "Country",
    "nations": "Country",
    "cities": "City",
    "provinces": "AdministrativeArea",
    "regions": "AdministrativeArea",
    "industries": "Industry",
    "sectors": "Industry",
    "technologies": "Technology",
}

# what "attract ... from A and B" brings in
TALENT_NOUNS: frozenset[str] = frozenset(
    _words(
        "talent talents engineers researchers developers scientists workers professionals experts "
        "students specialists graduates people staff programmers designers founders entrepreneurs "
        "investors"
    )
)

# nouns that make a bare number a count: "500 software engineers", "120 people"
COUNTABLE_NOUNS: frozenset[str] = frozenset(
    _words(
        "startup startups start-ups company companies firm firms business businesses people "
        "persons researchers engineers students jobs institutions universities members "
        "participants experts developers projects patents countries cities exhibitors visitors "
        "employees workers staff scientists professionals specialists graduates attendees "
        "delegates speakers investors partners teams programmers schools courses sessions booths "
        "products robots drones vehicles households homes units stores shops branches factories "
        "plants offices hospitals beds residents citizens users customers subscribers farms "
        "buildings apartments satellites sites facilities"
    )
)

STRATEGIC_ADJECTIVES: frozenset[str] = frozenset(
    _words(
        "strategic core key future growth priority flagship leading pillar promising "
        "next-generation new-growth new signature specialised specialized cutting-edge high-tech "
        "advanced emerging"
    )
)

# words that may stand between a subject and its verb ("the city would also")
GLUE_WORDS: frozenset[str] = frozenset(
    _words(
        "would will shall should could can may might must also has have had is are was were be "
        "been being now then recently already still further jointly officially formally soon "
        "later currently reportedly newly first finally eventually actively not never plans plan "
        "planned aims aim aimed intends intend hopes hope wants want seeks seek to set is has "
        "also just only again even subsequently"
    )
)
# lower-case words that cannot be the verb after a subject
NOT_VERBS: frozenset[str] = frozenset(
    _words(
        "of and or in at on to from with for by that which who whom whose where when as than the "
        "a an its their his her our into onto over under about between among after before during "
        "since while if but nor so yet per via s 's"
    )
)

# lower-case nouns after a capitalised word that make the two a place name: "the Domain
# district", "the Gangnam district"
PLACE_NOUNS_AFTER: dict[str, str] = {
    "district": "Facility",
    "neighbourhood": "Facility",
    "neighborhood": "Facility",
    "province": "AdministrativeArea",
    "prefecture": "AdministrativeArea",
    "county": "AdministrativeArea",
    "state": "AdministrativeArea",
    "region": "AdministrativeArea",
}

# lower-case nouns after a capitalised or quoted name that make it a programme or policy:
# 'its "K-Fabless Global 100" programme', 'the Smart Nation 2.0 strategy'
PROGRAMME_NOUNS: frozenset[str] = frozenset(
    _words("programme program strategy initiative plan project scheme policy vision campaign roadmap blueprint")
)

# what an organisation opens, builds or runs in a place: "open a regional office in Punggol"
PREMISES_NOUNS: frozenset[str] = frozenset(
    _words(
        "office offices plant plants factory factories branch branches headquarters hq subsidiary "
        "campus lab laboratory centre center facility hub site base store showroom warehouse "
        "fab foundry"
    )
)

# how a wire story credits its staff: "(Reporting by X; Editing by Y)"
BYLINE_VERBS: frozenset[str] = frozenset(
    _words("reporting writing editing reported written edited compiled additional")
)

# place classes that act like organisations ("the city founded …")
AGENT_PLACES: frozenset[str] = frozenset({"City", "AdministrativeArea", "Country"})

ORDINAL_WORDS: frozenset[str] = frozenset(
    _words(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
    )
)

# words that may follow 'the city' and still leave it the city ('the city government said')
CITY_FOLLOWERS: frozenset[str] = frozenset(_words("government authorities officials administration"))

# past tenses and present forms without -ed/-s that show 'the summit drew …' is a clause
IRREGULAR_VERBS: frozenset[str] = frozenset(
    _words(
        "drew grew made took gave brought held met ran saw set won built began become became came "
        "went said told kept led left sold spent sent paid put cut let got found thought chose rose "
        "fell wrote spoke broke stood understood taught sought bought fought caught felt meant lost "
        "sat heard knew showed shut hit bore beat bid cast cost dealt drove fed flew forgot froze hung "
        "laid lent lay lit rode rang sank sang slid spun stuck struck swept swore threw woke wore "
        "employs hosts"
    )
)
