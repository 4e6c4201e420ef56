"""Reference data of the Oberhausen model (from ../shared/DOMAIN.md and the seed document).

Departments without an official number (external partners, staff units) carry a short code of
our own; the names are the seed's.
"""

CITYWIDE = "stadtweit"

DISTRICTS: tuple[str, ...] = (
    "Mitte/Styrum",
    "Alstaden/Lirich",
    "Oberhausen-Ost",
    "Osterfeld",
    "Sterkrade-Mitte",
    "Sterkrade-Nord",
)

# (code, name, external)
DEPARTMENTS: tuple[tuple[str, str, bool], ...] = (
    ("0-3", "Bereich 0-3 Bert-Brecht-Bildungszentrum", False),
    ("0-4", "Bereich 0-4 Chancengleichheit", False),
    ("2-2", "Bereich 2-2 Umwelt", False),
    ("2-5", "Bereich 2-5 Sport", False),
    ("2-6", "Bereich 2-6 Kommunales Integrationszentrum", False),
    ("3-1", "Bereich 3-1 Kinder, Jugend und Familie", False),
    ("3-2", "Bereich 3-2 Soziales", False),
    ("3-3", "Bereich 3-3 Schule", False),
    ("3-4", "Bereich 3-4 Gesundheit", False),
    ("4-5", "Bereich 4-5 Integrierte Stadtentwicklung und Statistik", False),
    ("SC", "Smart City", False),
    ("KUSB", "Koordinierungsstelle Übergang Schule-Beruf", False),
    ("BJB", "Beratungsstelle Jugend und Beruf", False),
    ("SSB", "Stadtsportbund Oberhausen e.V.", True),
    ("JC", "Gemeinsame Einrichtung Jobcenter Oberhausen", True),
)

# (topic, department codes that presented it at the World Café of round 2)
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Ehrenamt", ("0-4",)),
    ("Inklusion", ("0-4",)),
    ("Wohnumfeld", ("2-2",)),
    ("Sport/Bewegung", ("2-5", "SSB")),
    ("(Weiter-)Bildung/Kultur", ("0-3",)),
    ("Integration", ("2-6",)),
    ("Bürgergeld/Bildung und Teilhabe", ("JC",)),
    ("Statistik, Daten und Portale", ("4-5", "3-2", "SC")),
    ("Gesundheit", ("3-4",)),
    ("Leben im Alter", ("3-4", "0-4")),
    ("Übergang Schule-Beruf", ("KUSB", "BJB")),
    ("Präventionsketten, Familien(grundschul)zentren, Frühe Hilfen", ("3-3", "3-1", "0-4")),
    ("Jugend", ("3-1",)),
)

PUBLISHER = (
    "Stadt Oberhausen, Bereich 3-2 Soziales, "
    "Fachbereich 3-2-10 Finanzen/Controlling/Planung, Team Sozialplanung"
)
