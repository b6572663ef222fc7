"""Raw rows as the vendor presets produce them (raw field vocabulary v2 plus "_norm")."""


def apollo(email="jane.doe@acme-widgets.example", **over):
    row = {
        "email": email.title(),
        "email_status": "Verified",
        "first_name": "Jane",
        "last_name": "Doe",
        "title": "Chief Executive Officer",
        "seniority": "c_suite",
        "department": "executive",
        "work_phone": "+1 415-555-0101",
        "mobile_phone": "(415) 555-0199",
        "linkedin_url": "http://www.linkedin.com/in/janedoe",
        "city": "San Francisco",
        "state": "California",
        "country": "United States",
        "company_name": "Acme Widgets",
        "website": "http://www.acme-widgets.example",
        "company_linkedin_url": "http://www.linkedin.com/company/acme-widgets",
        "company_phone": "+1 415-555-0100",
        "employee_count": "250",
        "industry": "Machinery",
        "company_city": "San Francisco",
        "company_state": "California",
        "company_country": "United States",
        "apollo_contact_id": "5f2a9c",
        "_norm": {
            "email": email,
            "full_name": "Jane Doe",
            "first_name": "Jane",
            "last_name": "Doe",
            "work_phone_e164": "+14155550101",
            "mobile_phone_e164": "+14155550199",
            "company_phone_e164": "+14155550100",
            "website_url": "http://www.acme-widgets.example",
            "domain": "acme-widgets.example",
            "linkedin_url": "http://www.linkedin.com/in/janedoe",
            "company_linkedin_url": "http://www.linkedin.com/company/acme-widgets",
            "employee_count": "250",
            "country_code": "US",
        },
    }
    row.update(over)
    return row


def hubspot(email="m.smith@globex.example", **over):
    row = {
        "email": email,
        "email_status": "valid",
        "first_name": "Mark",
        "last_name": "Smith",
        "title": "Finance Director",
        "phone": "020 7946 0958",
        "company": "Globex Ltd",
        "website": "globex.example",
        "city": "London",
        "country": "United Kingdom",
        "employee_count": "1,200",
        "industry": "Financial Services",
        "company_city": "London",
        "company_country": "United Kingdom",
        "lifecyclestage": "lead",
        "_norm": {
            "email": email,
            "full_name": "Mark Smith",
            "first_name": "Mark",
            "last_name": "Smith",
            "phone_e164": "+442079460958",
            "website_url": "https://globex.example",
            "domain": "globex.example",
            "employee_count": "1200",
            "country_code": "GB",
        },
    }
    row.update(over)
    return row


def apify(email="priya@initech.example", **over):
    row = {
        "email": email,
        "full_name": "Raman, Priya",
        "title": "VP People",
        "linkedin_url": "https://www.linkedin.com/in/priyaraman",
        "mobile_phone": "+91 98765 43210",
        "company_name": "Initech",
        "website": "https://initech.example/about",
        "company_linkedin_url": "https://www.linkedin.com/company/initech",
        "industry": "Software",
        "city": "Bengaluru",
        "state": "Karnataka",
        "country": "India",
        "company_city": "Bengaluru",
        "company_country": "India",
        "headline": "People & culture at Initech",
        "_norm": {
            "full_name": "Priya Raman",
            "first_name": "Priya",
            "last_name": "Raman",
            "mobile_phone_e164": "+919876543210",
            "linkedin_url": "https://www.linkedin.com/in/priyaraman",
            "company_linkedin_url": "https://www.linkedin.com/company/initech",
            "website_url": "https://initech.example/about",
            "domain": "initech.example",
            "country_code": "IN",
        },
    }
    row.update(over)
    return row
