"""The demo data set's vocabulary: names, places, titles, shares and canned texts."""

ACTOR = "seed_demo"

INDUSTRIES = {
    "Healthcare": (["Health", "Medical Group", "Family Clinics", "Dental Partners"], "com"),
    "Manufacturing": (["Manufacturing", "Industries", "Fabrication", "Precision Works"], "com"),
    "Construction": (["Builders", "Construction", "Contracting", "Roofing"], "com"),
    "Professional Services": (["Consulting", "Advisors", "Accounting Group", "Law Group"], "com"),
    "Software": (["Software", "Systems", "Labs", "Data"], "io"),
    "Logistics": (["Logistics", "Freight", "Transport", "Distribution"], "com"),
    "Hospitality": (["Hospitality", "Hotels", "Restaurant Group"], "com"),
    "Financial Services": (["Capital", "Financial", "Credit Union", "Insurance Agency"], "com"),
    "Retail": (["Outfitters", "Market", "Supply Co."], "com"),
    "Education": (["Academy", "Learning", "Charter Schools"], "org"),
    "Nonprofit": (["Foundation", "Community Services"], "org"),
    "Real Estate": (["Properties", "Realty", "Property Management"], "com"),
}
PREFIXES = [
    "Blue Ridge", "Summit", "Harbor Point", "Cedar Valley", "Ironwood", "Lakeshore", "Pioneer",
    "Redwood", "Silver Creek", "Keystone", "Northstar", "Granite", "Prairie", "Meridian",
    "Riverbend", "Oakmont", "Evergreen", "Highland", "Coastal", "Magnolia", "Sagebrush",
    "Bluebonnet", "Copper Canyon", "Great Lakes", "Liberty", "Heritage", "Crescent", "Falcon",
    "Juniper", "Willow Creek", "Sterling", "Atlas", "Beacon", "Cornerstone", "Tidewater",
    "Lone Star", "Bayview", "Stonebridge", "Maple Grove", "Clearwater",
]  # fmt: skip
LEGAL = ["", "", "", " Inc.", " LLC", " Group", " Co."]
STATES = [
    ("TX", ["Austin", "Dallas", "Houston", "San Antonio"], "512"),
    ("CA", ["San Diego", "Sacramento", "Irvine", "Oakland"], "916"),
    ("FL", ["Tampa", "Orlando", "Jacksonville"], "813"),
    ("NY", ["Buffalo", "Rochester", "Albany"], "716"),
    ("IL", ["Chicago", "Naperville", "Peoria"], "312"),
    ("OH", ["Columbus", "Cleveland", "Cincinnati"], "614"),
    ("GA", ["Atlanta", "Savannah"], "404"),
    ("NC", ["Charlotte", "Raleigh", "Durham"], "704"),
    ("PA", ["Pittsburgh", "Philadelphia", "Harrisburg"], "412"),
    ("AZ", ["Phoenix", "Tucson", "Scottsdale"], "602"),
    ("CO", ["Denver", "Boulder", "Colorado Springs"], "303"),
    ("WA", ["Seattle", "Spokane", "Tacoma"], "206"),
    ("MA", ["Boston", "Worcester"], "617"),
    ("TN", ["Nashville", "Memphis", "Knoxville"], "615"),
    ("MN", ["Minneapolis", "St. Paul", "Rochester"], "612"),
]
FIRST_NAMES = [
    "Robert", "William", "Elizabeth", "Katherine", "Michael", "James", "Jennifer", "Richard",
    "Thomas", "Margaret", "Christopher", "Daniel", "Patricia", "Steven", "Jonathan", "Rebecca",
    "Alexander", "Samantha", "Nicholas", "Anthony", "Maria", "Priya", "Wei", "Aisha", "Carlos",
    "Olivia", "Ethan", "Sofia", "Marcus", "Hannah", "Diego", "Grace", "Kevin", "Laura", "Omar",
    "Rachel", "Brian", "Mei", "Andre", "Natalie", "Jamal", "Emily", "Victor", "Lauren", "Hiroshi",
    "Megan", "Tyler", "Fatima", "Derek", "Chloe",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Nguyen", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
    "Mitchell", "Patel", "Campbell", "Roberts", "Phillips", "Evans", "Turner", "Parker", "Collins",
    "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Kim", "Chen", "Reyes", "Sullivan",
    "Whitaker", "Okafor", "Lindqvist", "Brennan", "Castillo", "Fitzgerald", "Yamamoto", "Delgado",
]  # fmt: skip
NICKNAMES = {
    "Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Katherine": "Kate",
    "Michael": "Mike", "James": "Jim", "Jennifer": "Jen", "Richard": "Rick", "Thomas": "Tom",
    "Margaret": "Peggy", "Christopher": "Chris", "Daniel": "Dan", "Patricia": "Pat",
    "Steven": "Steve", "Jonathan": "Jon", "Rebecca": "Becky", "Alexander": "Alex",
    "Samantha": "Sam", "Nicholas": "Nick", "Anthony": "Tony",
}  # fmt: skip
# Titles that should land in a role (some plainly, some only after a careful read) …
ROLE_TITLES = {
    "CEO": ["Chief Executive Officer", "CEO", "Founder & CEO", "President & CEO", "President",
            "Co-Founder", "Managing Partner", "Owner", "Executive Director", "Managing Director"],
    "CFO": ["Chief Financial Officer", "CFO", "VP Finance", "Vice President of Finance",
            "Controller", "Director of Finance", "Finance Director", "Treasurer"],
    "HR": ["Chief People Officer", "CHRO", "VP Human Resources", "Director of Human Resources",
           "HR Manager", "Benefits Manager", "Head of Talent", "Head of People",
           "People Operations Manager", "HR Director"],
}  # fmt: skip
# … and people who work there but are not the decision maker.
OTHER_TITLES = [
    "Executive Assistant to the CEO", "Office Manager", "VP Sales", "Director of Marketing",
    "Operations Manager", "Software Engineer", "HR Coordinator", "Accounts Payable Specialist",
    "Senior Accountant", "Recruiter", "Chief Operating Officer", "Chief Technology Officer",
    "Former CFO", "Board Advisor", "Payroll Specialist", "Assistant Controller",
    "Sales Development Representative", "Customer Success Manager",
]  # fmt: skip
DEPARTMENTS = [
    ("financ|controller|treasurer|accountant|payroll|payable", "Finance"),
    ("people|human|hr|talent|benefits|recruit|chro", "Human Resources"),
    ("sales|customer", "Sales"),
    ("marketing", "Marketing"),
    ("engineer|technology", "Engineering"),
    ("ceo|chief executive|president|founder|owner|partner|director|officer", "Executive"),
]
# The customer's overall slot fill rate (WORKFLOWS.md "Coverage": the seeds report 12.5%).
FILL_RATE = 0.125
EMAIL_STATUS_SHARE = [("green", 0.35), ("yellow", 0.25), ("red", 0.15), ("gray", 0.15)]
SOURCES = ["apollo", "apollo", "apify", "manual", "zoominfo"]
DUPLICATE_KINDS = ["nickname", "gmail", "typo", "linkedin", "email_case"]
FREE_MAIL = ["gmail.com", "gmail.com", "yahoo.com", "outlook.com"]

CONFLICT = {
    "nickname": ("name_company", 0.78),
    "gmail": ("name_company", 0.86),
    "typo": ("name_similar", 0.7),
    "linkedin": ("linkedin", 0.95),
    "email_case": ("email", 0.99),
    "plus_tag": ("email", 0.99),
}
CAMPAIGNS = [
    ("{quarter} Renewal Outreach — CFOs", "renewal", "active", ["CFO"]),
    ("120-Day Renewal Window — HR Leaders", "renewal", "active", ["HR"]),
    ("Renewal Prep — Next Quarter", "renewal", "draft", ["CEO", "CFO", "HR"]),
    ("Benefits Benchmark Cold Outreach", "cold_outreach", "completed", ["CEO", "CFO"]),
    ("Open Enrollment Nurture", "nurture", "paused", ["HR"]),
    ("Post-Meeting Follow-up", "follow_up", "active", ["CEO"]),
]
MEMBER_STATUSES = [
    ("pending", 15), ("sent", 30), ("opened", 20), ("replied", 12), ("bounced", 8),
    ("unsubscribed", 5), ("booked", 10),
]  # fmt: skip
REJECT_REASONS = [
    "Renewed early with their incumbent broker through 2027.",
    "Contact left the company; no decision maker on the call.",
    "Under 10 employees — outside our book of business.",
]
SIGNALS = [
    ("funding_raised", 80, "{name} raises ${amount}M Series {series}"),
    ("executive_movement", 70, "{name} appoints new Chief Financial Officer"),
    ("job_postings", 40, "{name} is hiring {count} roles including an HR Business Partner"),
    ("headcount_growth", 55, "{name} headcount up {count}% year over year"),
]
