"""Vocabularies the partnerships register shares with referrals and the gap analysis."""

from django.db import models


class ReferralType(models.TextChoices):
    """What a referral asks the receiving partner to do (DESIGN.md, referrals)."""

    BENEFIT_CHECK = "benefit_check", "Benefit check"
    PENSION_CREDIT = "pension_credit", "Pension Credit claim"
    ATTENDANCE_ALLOWANCE = "attendance_allowance", "Attendance Allowance claim"
    CARERS_ALLOWANCE = "carers_allowance", "Carer's Allowance claim"
    DLA_PIP = "dla_pip", "DLA or PIP claim"
    HOUSING_BENEFIT = "housing_benefit", "Housing Benefit or Council Tax Support"
    FAIRER_CHARGING = "fairer_charging", "Fairer Charging financial assessment"
    CARE_NEEDS = "care_needs", "Care needs assessment"
    HOME_ADAPTATIONS = "home_adaptations", "Home adaptations"
    INDEPENDENT_ADVICE = "independent_advice", "Independent advice"
    SAFEGUARDING = "safeguarding", "Safeguarding or financial abuse alert"


class PartnerCategory(models.TextChoices):
    """The core partners research report 693 says the Pension Service should work with (§2.2, step 1)."""

    ADULT_SOCIAL_CARE = "adult_social_care", "Council adult social care"
    COUNCIL_BENEFITS = "council_benefits", "Council benefits (Housing Benefit, Council Tax Support)"
    COUNCIL_HOUSING = "council_housing", "Council housing"
    NHS_TRUST = "nhs_trust", "NHS trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    COMMUNITY_NURSING = "community_nursing", "Community nursing"
    HOSPITAL_DISCHARGE = "hospital_discharge", "Hospital discharge"
    JOBCENTRE_PLUS = "jobcentre_plus", "Jobcentre Plus"
    PENSION_SERVICE = "pension_service", "The Pension Service"
    AGE_UK = "age_uk", "Age UK"
    CITIZENS_ADVICE = "citizens_advice", "Citizens Advice"
    CARERS_ORGANISATION = "carers_organisation", "Carers' organisation"


class CustomerGroup(models.TextChoices):
    """Customer groups a partnership reaches (report 693: 'hard-to-reach' customers among them)."""

    OLDER_PEOPLE = "older_people", "Older people"
    DISABLED_PEOPLE = "disabled_people", "Disabled people"
    CARERS = "carers", "Carers"
    LEAVING_HOSPITAL = "leaving_hospital", "People leaving hospital"
    DEMENTIA = "dementia", "People with dementia"
    MENTAL_HEALTH = "mental_health", "People with mental health needs"
    LOW_INCOME_PENSIONERS = "low_income_pensioners", "Pensioners on low incomes"
    HARD_TO_REACH = "hard_to_reach", "Hard-to-reach customers"
    ETHNIC_MINORITIES = "ethnic_minorities", "Black and minority ethnic communities"
