"""The demo initiative catalog: about 230 initiatives from the environmental scan, and one
initiative for each team of the Healthy Work Collaborative (see `demo/hwc-public-facts.md`).

The scan's initiatives are invented: the real counts by category are not public. They are drawn
with a fixed seed so that the catalog carries the scan's published finding, for the app's own
analysis to find: labor organizations (worker centers, unions, worker advocates, and the legal
organizations beside them) mostly act on public policy, legislation, organizing and rights
enforcement; public health and healthcare organizations mostly train, set internal policies and
run services; and few initiatives join a health organization with a labor one. The pattern is
strong but not clean: some labor organizations train, some health departments advocate.

An invented initiative that involves a real organization says so in its summary. The teams'
initiatives carry only what the case-study guide's public record says, in general words.
`load()` is idempotent: initiatives are keyed by title and written only where a value differs.
"""

import random
from collections import Counter
from datetime import date
from typing import Any, NamedTuple, TextIO

from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from healthywork.catalog.models import (
    ActionType,
    Condition,
    EvidenceRating,
    Initiative,
    InitiativePartner,
    PSEClass,
    Status,
    Tag,
    TWHLevel,
)
from healthywork.partners import demo as partners_demo
from healthywork.partners.models import Level, Organization, Population

SEED = 2017
SCAN_INITIATIVES = 230
SCAN_SOURCE = "Environmental scan interview, spring 2017"
OTHER_SOURCES = ["Stakeholder meeting, fall 2017", "Organization's website, 2017"]
CASE_STUDY_SOURCE = "Healthy Work Collaborative: Examples from the Field (2019)"
INVENTED = " (Invented example for the demo.)"

# The families of the seeded sectors (partners migration 0003), so the plan needs no database.
SECTOR_FAMILY = {
    "public-health": "health",
    "healthcare": "health",
    "labor": "labor",
    "legal": "legal",
    "nonprofit": "community",
    "research": "research",
    "education": "research",
}

# How often each family leads each action type: the scan's finding, with some noise.
ACTION_WEIGHTS: dict[str, dict[str, int]] = {
    "labor": {
        "public-policy-advocacy": 28,
        "legislation-regulation": 12,
        "organizing-collective-action": 20,
        "legal-services-rights": 8,
        "training-education": 10,
        "internal-policy": 1,
        "direct-services": 5,
        "research-data": 4,
        "communications-awareness": 6,
        "coalition-building": 4,
    },
    "legal": {
        "legal-services-rights": 50,
        "public-policy-advocacy": 14,
        "legislation-regulation": 10,
        "training-education": 10,
        "research-data": 6,
        "communications-awareness": 5,
        "coalition-building": 5,
    },
    "health": {
        "training-education": 34,
        "internal-policy": 22,
        "direct-services": 17,
        "public-policy-advocacy": 6,
        "legislation-regulation": 2,
        "legal-services-rights": 1,
        "research-data": 9,
        "communications-awareness": 8,
        "coalition-building": 5,
    },
    "community": {
        "direct-services": 22,
        "training-education": 16,
        "public-policy-advocacy": 14,
        "communications-awareness": 16,
        "coalition-building": 14,
        "internal-policy": 10,
        "research-data": 5,
        "legal-services-rights": 3,
    },
    "research": {
        "research-data": 50,
        "training-education": 20,
        "communications-awareness": 12,
        "public-policy-advocacy": 10,
        "coalition-building": 8,
    },
}

# The PSE classes of each action type; only a template that changes places (a cooling station)
# names "environment".
PSE_WEIGHTS: dict[str, dict[str, int]] = {
    "public-policy-advocacy": {"policy": 85, "systems": 15},
    "legislation-regulation": {"policy": 90, "systems": 10},
    "organizing-collective-action": {"systems": 55, "policy": 40, "individual": 5},
    "legal-services-rights": {"systems": 50, "policy": 25, "individual": 25},
    "training-education": {"individual": 90, "systems": 8, "policy": 2},
    "internal-policy": {"policy": 80, "systems": 20},
    "direct-services": {"individual": 80, "systems": 20},
    "research-data": {"systems": 50, "individual": 30, "policy": 20},
    "communications-awareness": {"individual": 70, "systems": 30},
    "coalition-building": {"systems": 85, "policy": 15},
}

# Total Worker Health levels that fit each action type; "" leaves the level unset.
TWH_CHOICES: dict[str, list[str]] = {
    "public-policy-advocacy": ["eliminate", "redesign", "", ""],
    "legislation-regulation": ["eliminate", "redesign", "substitute", ""],
    "organizing-collective-action": ["redesign", "eliminate", "", ""],
    "legal-services-rights": ["redesign", "", ""],
    "training-education": ["educate", "educate", "encourage", ""],
    "internal-policy": ["redesign", "eliminate", "substitute", ""],
    "direct-services": ["encourage", "educate", "", ""],
    "research-data": ["", "", "educate"],
    "communications-awareness": ["educate", "encourage", ""],
    "coalition-building": ["", "", "redesign"],
}

STATUS_WEIGHTS = {Status.ACTIVE: 55, Status.COMPLETED: 25, Status.ENDED: 10, Status.PROPOSED: 10}
EVIDENCE_WEIGHTS = {
    EvidenceRating.SCIENTIFICALLY_SUPPORTED: 2,
    EvidenceRating.SOME_EVIDENCE: 3,
    EvidenceRating.EXPERT_OPINION: 3,
    EvidenceRating.INSUFFICIENT_EVIDENCE: 2,
    EvidenceRating.MIXED_EVIDENCE: 1,
}

# How a title or summary names each worker population.
POPULATION_NOUNS = {
    "low-wage": "low-wage workers",
    "temporary-staffing": "temp workers",
    "gig-independent": "gig workers",
    "domestic": "domestic workers",
    "immigrant-undocumented": "immigrant workers",
    "restaurant-food-service": "restaurant workers",
    "agricultural": "farmworkers",
    "day-laborers": "day laborers",
    "youth-interns": "young workers",
    "community-health-workers": "community health workers",
    "manufacturing-warehouse": "warehouse and factory workers",
    "care-workers": "home care and hospital workers",
}
STATE_NAMES = {"IL": "Illinois"}


class Template(NamedTuple):
    """An initiative's wording: `{pop}` a worker population, `{where}` a place ("in Chicago"),
    `{org}` the lead organization. `population` fixes the initiative's population (its own
    staff, for an internal policy); `pse` is its usual PSE class where the action type's is not."""

    title: str
    summary: str
    conditions: str
    tags: str = ""
    requires: str = ""
    population: str = ""
    pse: str = ""
    by: str = ""

    def suits(self, spec: dict[str, Any]) -> bool:
        """Whether the organization could plausibly lead it: `by` names families, sectors or
        subsectors separated by "|" (empty: anyone), and `requires` a population it serves."""
        if self.requires and self.requires not in spec["populations"]:
            return False
        kinds = {SECTOR_FAMILY[spec["sector"]], spec["sector"], spec["subsector"]}
        return not self.by or bool(kinds & set(self.by.split("|")))


# fmt: off
TEMPLATES: dict[str, list[Template]] = {
    "public-policy-advocacy": [
        Template("Paid sick days campaign {where}",
                 "A campaign to win earned sick time for {pop}, with workers testifying at public "
                 "hearings.", "benefits", "paid sick leave"),
        Template("Fair workweek scheduling campaign {where}",
                 "Pushes for advance notice of schedules and predictable hours for {pop}.",
                 "job-security living-wage", "fair scheduling"),
        Template("Minimum wage coalition {where}",
                 "Builds support among {pop} and their neighbors for raising the minimum wage "
                 "toward a living wage.", "living-wage", "minimum wage"),
        Template("Wage theft ordinance advocacy {where}",
                 "Advocates for an ordinance that lets officials deny business licenses to "
                 "employers who steal the wages of {pop}.", "living-wage free-from-discrimination",
                 "wage theft"),
        Template("Temp workers' bill of rights campaign {where}",
                 "Presses lawmakers for equal pay, safety training and safe transport for workers "
                 "placed by staffing agencies.", "free-from-hazards job-security", "temp work",
                 requires="temporary-staffing"),
        Template("Heat standard advocacy for {pop}",
                 "Asks regulators for an enforceable heat standard with water, rest and shade for "
                 "{pop}.", "free-from-hazards", "heat illness"),
        Template("Domestic workers' bill of rights campaign {where}",
                 "Campaigns to bring nannies, house cleaners and caregivers under minimum wage, "
                 "overtime and rest-day laws.", "living-wage benefits free-from-discrimination",
                 "domestic work", requires="domestic"),
        Template("Anti-retaliation campaign for {pop} {where}",
                 "Advocates for stronger protection from firing and immigration threats when "
                 "{pop} report hazards or stolen wages.",
                 "voice-and-organizing free-from-discrimination", "retaliation"),
        Template("Living wage for public contracts {where}",
                 "Campaigns for a living wage requirement in city and county service contracts "
                 "that employ {pop}.", "living-wage benefits", "minimum wage"),
        Template("Paid family leave advocacy {where}",
                 "Builds a public case, with {pop} as spokespeople, for paid leave to care for a "
                 "new child or a sick relative.", "benefits job-security", "paid leave"),
        Template("Precarious work in the community health plan {where}",
                 "Argues for naming precarious work as a priority of the local community health "
                 "improvement plan.", "job-security living-wage", "social determinants of health",
                 by="health|community"),
        Template("Safe staffing advocacy for {pop}",
                 "Advocates for staffing levels that let {pop} take breaks and work without "
                 "injury.", "free-from-hazards", "staffing", requires="care-workers"),
        Template("Fair tipped wage campaign {where}",
                 "Campaigns to end the lower minimum wage for tipped restaurant workers.",
                 "living-wage free-from-discrimination", "minimum wage",
                 requires="restaurant-food-service"),
        Template("Portable benefits proposal for {pop}",
                 "Advocates for benefits that follow {pop} from job to job and platform to "
                 "platform.", "benefits job-security", "misclassification",
                 requires="gig-independent"),
        Template("Health department policy agenda on work {where}",
                 "Puts paid sick leave and living wages on the health department's public "
                 "policy agenda as matters of community health.", "benefits living-wage",
                 "social determinants of health", by="public-health"),
    ],
    "legislation-regulation": [
        Template("Wage theft bill drafting {where}",
                 "Drafts bill language with legislators that raises the penalties for wages "
                 "owed to {pop}.", "living-wage", "wage theft"),
        Template("Heat illness rulemaking petition {where}",
                 "Petitions regulators to adopt a heat illness prevention rule covering {pop}.",
                 "free-from-hazards", "heat illness"),
        Template("Day labor hiring regulations {where}",
                 "Works with officials on rules for day labor agencies: written job terms, "
                 "safe transport and pay on the day.", "job-security free-from-hazards",
                 "day labor", requires="day-laborers"),
        Template("Staffing agency registration rules {where}",
                 "Seeks registration rules under which staffing agencies that endanger {pop} "
                 "lose their license.", "free-from-hazards job-security", "temp work",
                 requires="temporary-staffing"),
        Template("Misclassification enforcement bill {where}",
                 "Supports a bill that presumes {pop} are employees unless the company proves "
                 "otherwise.", "benefits job-security", "misclassification"),
        Template("Testimony on paid leave legislation {where}",
                 "Prepares {pop} to testify before legislative committees on paid leave bills.",
                 "benefits voice-and-organizing", "paid leave"),
        Template("Fair scheduling ordinance {where}",
                 "Works on the text and passage of an ordinance requiring two weeks' notice of "
                 "work schedules.", "job-security", "fair scheduling"),
        Template("Cleaning chemicals regulation for {pop}",
                 "Seeks rules that limit the most hazardous cleaning chemicals used by {pop}.",
                 "free-from-hazards", "chemical safety"),
        Template("Workers' compensation reform for {pop}",
                 "Pushes to close gaps that leave {pop} out of workers' compensation.",
                 "benefits free-from-hazards", "workers' compensation"),
        Template("Workplace violence prevention standard for {pop}",
                 "Supports a state standard requiring violence prevention plans where {pop} "
                 "work.", "free-from-hazards", "workplace violence"),
        Template("Warehouse quota law {where}",
                 "Supports a law requiring warehouses to disclose production quotas that deny "
                 "workers breaks.", "free-from-hazards voice-and-organizing", "ergonomics",
                 requires="manufacturing-warehouse"),
    ],
    "organizing-collective-action": [
        Template("Organizing committee for {pop} {where}",
                 "Builds committees of {pop} that bring safety and pay problems to employers "
                 "together rather than one by one.", "voice-and-organizing", "worker committees"),
        Template("Shop-floor safety committees for {pop}",
                 "Helps {pop} form safety committees that inspect their workplaces and press "
                 "for fixes.", "free-from-hazards voice-and-organizing", "worker committees"),
        Template("Contract campaign for {pop}",
                 "Bargains for contract language on staffing, breaks and heat protection for "
                 "{pop}.", "free-from-hazards benefits voice-and-organizing", "collective bargaining",
                 by="union"),
        Template("Day laborer corner organizing {where}",
                 "Organizes day laborers at hiring corners to set a minimum daily wage together.",
                 "living-wage voice-and-organizing", "day labor", requires="day-laborers"),
        Template("Worker leadership school {where}",
                 "Develops {pop} as leaders who run their own campaigns for safer, better-paid "
                 "jobs.", "voice-and-organizing advancement", "leadership"),
        Template("Collective complaint drive for {pop} {where}",
                 "Helps groups of {pop} file joint complaints about unpaid wages and hazards.",
                 "voice-and-organizing living-wage", "wage theft"),
        Template("Tip theft action committee {where}",
                 "Organizes restaurant workers to recover stolen tips as a group.",
                 "living-wage voice-and-organizing", "wage theft",
                 requires="restaurant-food-service"),
        Template("Domestic worker cooperative {where}",
                 "Supports a worker-owned cleaning cooperative that sets its own fair rates.",
                 "living-wage job-security voice-and-organizing", "cooperatives",
                 requires="domestic", by="labor|community"),
        Template("Heat action campaign for {pop}",
                 "Organizes {pop} to demand water, rest breaks and cooling during heat waves.",
                 "free-from-hazards voice-and-organizing", "heat illness"),
        Template("Membership drive among {pop} {where}",
                 "Signs up {pop} as members and trains stewards in each workplace.",
                 "voice-and-organizing", "collective bargaining", by="union|labor federation"),
        Template("Worker-led safety monitoring {where}",
                 "Trains {pop} to document hazards and report them together to employers and "
                 "inspectors.", "free-from-hazards voice-and-organizing", "worker committees"),
        Template("Conversion campaign for permanent jobs {where}",
                 "Organizes long-term temp workers to win conversion to permanent, direct-hire "
                 "jobs.", "job-security benefits voice-and-organizing", "temp work",
                 requires="temporary-staffing"),
        Template("Platform drivers' association {where}",
                 "Brings app-based drivers together to negotiate pay and deactivation rules with "
                 "platforms.", "living-wage voice-and-organizing job-security", "misclassification",
                 requires="gig-independent", by="labor"),
    ],
    "legal-services-rights": [
        Template("Wage claim clinic for {pop} {where}",
                 "Helps {pop} document and file claims for unpaid wages, with volunteer "
                 "attorneys.", "living-wage", "wage theft"),
        Template("Workers' rights hotline {where}",
                 "A phone line where {pop} get advice on pay, safety and leave problems and "
                 "referrals for help.", "free-from-discrimination living-wage", "retaliation"),
        Template("Retaliation case support for {pop}",
                 "Represents {pop} who were fired or threatened after raising concerns at "
                 "work.", "voice-and-organizing free-from-discrimination", "retaliation", by="legal"),
        Template("OSHA complaint assistance for {pop}",
                 "Helps {pop} file safety complaints and follows each inspection through.",
                 "free-from-hazards", "OSHA"),
        Template("Misclassification litigation for {pop}",
                 "Brings cases that challenge the treatment of {pop} as independent "
                 "contractors.", "benefits job-security", "misclassification", by="legal"),
        Template("Workers' compensation representation {where}",
                 "Represents injured {pop} in workers' compensation claims.",
                 "benefits free-from-hazards", "workers' compensation", by="legal"),
        Template("Unemployment insurance appeals help {where}",
                 "Helps {pop} appeal denied unemployment insurance claims.",
                 "benefits job-security", "unemployment insurance", by="legal|community"),
        Template("Immigrant worker defense project {where}",
                 "Represents immigrant workers facing immigration threats for asserting their "
                 "rights at work.", "free-from-discrimination voice-and-organizing", "retaliation",
                 requires="immigrant-undocumented", by="legal|worker center"),
        Template("Discrimination charge support for {pop}",
                 "Helps {pop} bring charges of discrimination and harassment to the state "
                 "human rights agency.", "free-from-discrimination", "harassment"),
        Template("Strategic enforcement partnership {where}",
                 "Refers well-documented wage and safety cases to labor enforcement agencies so "
                 "that inspections reach the worst employers of {pop}.",
                 "free-from-hazards living-wage", "enforcement"),
        Template("Sexual harassment legal help for {pop}",
                 "Offers legal help to {pop} facing sexual harassment from supervisors or "
                 "customers.", "free-from-discrimination", "harassment", by="legal"),
    ],
    "training-education": [
        Template("Heat illness prevention training for {pop}",
                 "Teaches {pop} the early signs of heat illness and how to protect one another.",
                 "free-from-hazards", "heat illness"),
        Template("Occupational history training for clinicians {where}",
                 "Teaches primary care clinicians to ask patients about their jobs and to link "
                 "symptoms to work.", "free-from-hazards", "clinical practice", by="health|research"),
        Template("Precarious work course for public health staff {where}",
                 "A short course for health department staff on precarious work as a social "
                 "determinant of health.", "job-security living-wage", "social determinants of health",
                 by="health|research|community"),
        Template("Ergonomics workshops for {pop}",
                 "Workshops on lifting, reaching and repetitive strain for {pop}.",
                 "free-from-hazards", "ergonomics"),
        Template("Know-your-rights workshops for {pop} {where}",
                 "Workshops that explain wage, safety and leave rights to {pop} and where to "
                 "turn for help.", "free-from-discrimination voice-and-organizing", "know your rights"),
        Template("Safe patient handling training for {pop}",
                 "Trains {pop} to move patients with lifts and teamwork instead of their backs.",
                 "free-from-hazards", "ergonomics", requires="care-workers"),
        Template("Chemical safety training for {pop}",
                 "Teaches {pop} to read labels and safety data sheets and to ask for safer "
                 "products.", "free-from-hazards", "chemical safety"),
        Template("Worksite wellness coordinator training {where}",
                 "Trains employers' wellness coordinators to pair health promotion with "
                 "protection from hazards.", "free-from-hazards", "worksite wellness", by="health|community"),
        Template("Work and health unit for community health workers {where}",
                 "Adds a unit on work as a determinant of health to the training of community "
                 "health workers.", "free-from-hazards job-security", "community health workers",
                 population="community-health-workers", by="health|research|community"),
        Template("Peer health promoters for {pop}",
                 "Trains {pop} as peer promoters who teach coworkers about hazards and health.",
                 "free-from-hazards voice-and-organizing", "peer educators"),
        Template("Spanish-language safety courses for {pop}",
                 "Ten-hour safety courses taught in Spanish for {pop}.", "free-from-hazards",
                 "Spanish-language", requires="immigrant-undocumented"),
        Template("Shift work and stress education for {pop}",
                 "Sessions on sleep, stress and fatigue for {pop} who work nights or rotating "
                 "shifts.", "free-from-hazards", "shift work"),
        Template("Food handler safety course {where}",
                 "A food handler course for restaurant workers that also covers burns, cuts and "
                 "slips.", "free-from-hazards", "food service", requires="restaurant-food-service"),
        Template("Healthy work webinar series {where}",
                 "Webinars for health departments and clinics on how jobs shape the health of "
                 "{pop}.", "job-security living-wage", "social determinants of health", by="health|research"),
        Template("Supervisor training on return to work {where}",
                 "Trains supervisors to bring injured {pop} back on suitable duty.",
                 "job-security free-from-hazards", "return to work", by="health"),
        Template("Youth job safety training {where}",
                 "Classroom sessions on workplace rights and hazards for teenagers starting "
                 "their first jobs.", "free-from-hazards", "young workers", population="youth-interns"),
        Template("Mental health first aid for {pop}",
                 "Teaches {pop} to recognise distress in coworkers and to connect them with "
                 "help.", "free-from-hazards", "mental health"),
        Template("Pesticide safety training {where}",
                 "Trains farmworkers on pesticide exposure, re-entry intervals and washing up.",
                 "free-from-hazards", "pesticides", requires="agricultural"),
        Template("Steward health and safety training for {pop}",
                 "Trains union stewards and worker leaders among {pop} to spot hazards and "
                 "use the grievance process.", "free-from-hazards voice-and-organizing", "worker committees",
                 by="labor"),
    ],
    "internal-policy": [
        Template("Paid sick leave for all staff at {org}",
                 "Extends paid sick days to part-time and temporary staff at {org}.",
                 "benefits", "paid sick leave", population="low-wage"),
        Template("Living wage floor at {org}",
                 "Sets a living wage as the lowest rate of pay for employees and contracted "
                 "staff at {org}.", "living-wage", "minimum wage", population="low-wage"),
        Template("Flexible scheduling policy at {org}",
                 "Gives staff at {org} predictable schedules and a say in their shifts.",
                 "job-security voice-and-organizing", "fair scheduling"),
        Template("Lactation accommodation policy at {org}",
                 "Gives staff at {org} who breastfeed paid break time and a private room.",
                 "benefits free-from-discrimination", "lactation"),
        Template("Tobacco-free workplace policy at {org}",
                 "Makes {org}'s grounds tobacco-free and offers staff help to quit.",
                 "free-from-hazards", "worksite wellness", pse="environment"),
        Template("Paid internships at {org}",
                 "Replaces unpaid internships at {org} with paid ones.",
                 "living-wage advancement", "internships", population="youth-interns"),
        Template("Direct hire of contracted staff at {org}",
                 "Brings contracted cleaning and food service workers onto {org}'s payroll with "
                 "benefits.", "job-security benefits", "temp work", population="temporary-staffing"),
        Template("Workplace violence prevention plan at {org}",
                 "Sets up reporting, training and staffing rules that reduce violence against "
                 "staff at {org}.", "free-from-hazards", "workplace violence"),
        Template("Employee wellness program redesign at {org}",
                 "Redesigns {org}'s wellness program to fix working conditions as well as "
                 "encourage healthy habits.", "free-from-hazards", "worksite wellness"),
        Template("Career ladder for community health workers at {org}",
                 "Creates job grades and raises so that community health workers at {org} can "
                 "advance.", "advancement living-wage", "community health workers",
                 population="community-health-workers", by="health|community"),
        Template("Fair labor purchasing standards at {org}",
                 "Buys uniforms, food and cleaning services only from vendors that meet fair "
                 "labor standards.", "living-wage free-from-discrimination", "procurement",
                 pse="systems"),
        Template("Cooling and rest areas at {org}",
                 "Builds cooled rest areas and water stations for staff at {org} who work in "
                 "kitchens, laundries and boiler rooms.", "free-from-hazards", "heat illness",
                 pse="environment", by="healthcare"),
        Template("Paid parental leave at {org}",
                 "Gives every employee of {org} paid leave after the birth or adoption of a "
                 "child.", "benefits", "paid leave"),
        Template("Staff safety committee at {org}",
                 "Sets up a joint staff and management safety committee at {org} with time paid "
                 "for its work.", "voice-and-organizing free-from-hazards", "worker committees",
                 pse="systems"),
    ],
    "direct-services": [
        Template("Evening clinic hours for {pop} {where}",
                 "Opens clinic hours after work so that {pop} need not lose pay to see a "
                 "doctor.", "benefits", "access to care", by="health"),
        Template("Work-related injury screening for {pop}",
                 "Screens patients who are {pop} for injuries and illnesses caused by work.",
                 "free-from-hazards", "clinical practice", by="healthcare"),
        Template("Mobile health unit for {pop} {where}",
                 "A van that brings screenings and first aid to the places where {pop} work.",
                 "free-from-hazards benefits", "access to care", by="health"),
        Template("Health insurance enrollment help for {pop} {where}",
                 "Helps {pop} and their families enroll in health coverage.",
                 "benefits", "health insurance"),
        Template("Blood pressure checks at worksites {where}",
                 "Brings blood pressure checks and follow-up referrals to the worksites of "
                 "{pop}.", "benefits", "worksite wellness", by="health"),
        Template("Counseling for {pop} {where}",
                 "Low-cost counseling, at hours that fit shift work, for {pop} under stress.",
                 "benefits free-from-hazards", "mental health", by="health|community"),
        Template("Vaccination clinics for {pop} {where}",
                 "Free flu and tetanus shots at worksites and community centers for {pop}.",
                 "free-from-hazards", "vaccination", by="health"),
        Template("Case management for injured {pop}",
                 "Case managers guide injured {pop} through care, compensation and return to "
                 "work.", "benefits job-security", "workers' compensation", by="health|community"),
        Template("Cooling stations near hiring corners {where}",
                 "Sets up water and shade where day laborers wait for work in the summer.",
                 "free-from-hazards", "heat illness", requires="day-laborers", pse="environment"),
        Template("Water and hand-washing stations at farms {where}",
                 "Supplies portable water and hand-washing stations at farm work sites.",
                 "free-from-hazards", "pesticides", requires="agricultural", pse="environment"),
        Template("Benefits navigation for {pop} {where}",
                 "Helps {pop} claim the benefits and supports they qualify for.",
                 "benefits", "access to care"),
        Template("Emergency fund for {pop} {where}",
                 "Small grants to {pop} who lose pay to illness or a sudden cut in hours.",
                 "job-security", "income support"),
        Template("Hearing and vision screening for {pop}",
                 "Screens {pop} for noise-induced hearing loss and eye strain.",
                 "free-from-hazards", "clinical practice", by="healthcare"),
    ],
    "research-data": [
        Template("Survey of working conditions among {pop} {where}",
                 "Surveys {pop} on pay, schedules, hazards and health.",
                 "free-from-hazards living-wage job-security", "surveys"),
        Template("Work-related injury surveillance {where}",
                 "Tracks work-related injuries among {pop} from emergency and clinic records.",
                 "free-from-hazards", "surveillance", by="health|research"),
        Template("Occupation and industry in health records at {org}",
                 "Adds a patient's occupation and industry to {org}'s health records.",
                 "free-from-hazards", "clinical practice", pse="systems", by="healthcare"),
        Template("Study of temporary work and injuries {where}",
                 "Compares injury rates of temporary and permanent workers in the same jobs.",
                 "free-from-hazards job-security", "temp work"),
        Template("Participatory research with {pop} {where}",
                 "Research designed and carried out with {pop} on what makes their work "
                 "unhealthy.", "voice-and-organizing free-from-hazards", "participatory research"),
        Template("Mapping precarious employment {where}",
                 "Maps where low-wage, temporary and unstable jobs cluster, next to health "
                 "outcomes.", "job-security living-wage", "social determinants of health"),
        Template("Heat exposure monitoring with {pop}",
                 "Measures the heat that {pop} work in with wearable sensors.",
                 "free-from-hazards", "heat illness"),
        Template("Wage theft estimates {where}",
                 "Estimates how much pay is stolen from {pop} each year.",
                 "living-wage", "wage theft"),
        Template("Evaluation of worksite wellness programs {where}",
                 "Evaluates whether employers' wellness programs change working conditions or "
                 "only habits.", "free-from-hazards", "worksite wellness", by="health|research"),
    ],
    "communications-awareness": [
        Template("Radio segments on workers' health for {pop}",
                 "A weekly radio segment in Spanish and English on health and rights at work.",
                 "free-from-hazards voice-and-organizing", "Spanish-language"),
        Template("Social media campaign on paid sick days {where}",
                 "A social media campaign on why paid sick days protect public health.",
                 "benefits", "paid sick leave"),
        Template("Workers' Memorial Day events {where}",
                 "Yearly events that remember workers killed on the job and call for safer work.",
                 "free-from-hazards", "workers' memorial day"),
        Template("Photovoice project with {pop}",
                 "{Pop} photograph their working conditions and show the pictures to local "
                 "leaders.", "voice-and-organizing free-from-hazards", "participatory research"),
        Template("Heat and work fact sheets for {pop}",
                 "Plain-language fact sheets on heat and work for {pop}, in several languages.",
                 "free-from-hazards", "heat illness"),
        Template("Workers' rights tables at health fairs {where}",
                 "Brings information on workers' rights to community health fairs.",
                 "free-from-discrimination", "know your rights"),
        Template("Briefs on precarious work for officials {where}",
                 "Short briefs for elected officials on how precarious work harms health.",
                 "job-security living-wage", "social determinants of health"),
        Template("Workers' stories video series {where}",
                 "Short videos in which {pop} tell how their jobs affect their health.",
                 "voice-and-organizing", "storytelling"),
        Template("Newsletter on health and work {where}",
                 "A newsletter for {pop} on health, safety and rights at work.",
                 "free-from-hazards", "know your rights"),
    ],
    "coalition-building": [
        Template("Worker health roundtable {where}",
                 "A regular roundtable where organizations serving {pop} share plans and "
                 "resources.", "voice-and-organizing", "coalitions"),
        Template("Regional coalition on heat and work {where}",
                 "Brings employers, agencies and worker groups together on heat protection.",
                 "free-from-hazards", "heat illness"),
        Template("Immigrant workers' health coalition {where}",
                 "A coalition of clinics, churches and service groups on the health of immigrant "
                 "workers.", "free-from-discrimination free-from-hazards", "coalitions",
                 requires="immigrant-undocumented"),
        Template("Paid leave coalition {where}",
                 "A coalition of organizations that backs paid sick and family leave.",
                 "benefits", "paid leave"),
        Template("Employer network for healthy jobs {where}",
                 "A network of employers that share practices for stable, well-paid and safe "
                 "jobs for {pop}.", "job-security living-wage", "employers"),
        Template("Community health worker alliance {where}",
                 "An alliance of employers and training programs for community health workers.",
                 "advancement job-security", "community health workers",
                 population="community-health-workers", by="health|research|community"),
        Template("Precarious work learning network {where}",
                 "A peer learning network on precarious work and health for organizations that "
                 "serve {pop}.", "job-security", "social determinants of health"),
    ],
}
# fmt: on


def _team_initiatives() -> list[dict[str, Any]]:
    """One initiative per team of the collaborative, by its case-study title (public facts only)."""
    fall_2018 = date(2018, 9, 1)
    common = {
        "status": Status.ACTIVE,
        "start_date": fall_2018,
        "end_date": None,
        "level": Level.LOCAL,
        "evidence_rating": "",
        "links": "",
        "source": CASE_STUDY_SOURCE,
        "tags": ["Healthy Work Collaborative"],
    }
    # fmt: off
    details = {
        "Advancing Labor Rights in Immigrant Communities": dict(
            summary="Two worker centers and the county health department work together so that "
                    "immigrant workers know and can use their rights at work.",
            action_type="organizing-collective-action", pse_class=PSEClass.SYSTEMS,
            twh_level="", geography="Cook County, Illinois",
            populations=["immigrant-undocumented", "low-wage"],
            conditions=["free-from-discrimination", "voice-and-organizing"]),
        "Advocating for Healthier Communities": dict(
            summary="The county health department, county board, economic development "
                    "organization and workforce board make precarious work a county priority, "
                    "as both the comprehensive plan and the health improvement plan name "
                    "workforce and the social determinants of health.",
            action_type="public-policy-advocacy", pse_class=PSEClass.POLICY,
            twh_level="", geography="Boone County, Illinois",
            populations=["manufacturing-warehouse", "agricultural"],
            conditions=["job-security", "living-wage"]),
        "Building Community Support for Healthy Work": dict(
            summary="A worker center leads a partnership with the county health department and "
                    "a second worker center to build community support for healthy work.",
            action_type="coalition-building", pse_class=PSEClass.SYSTEMS,
            twh_level="", geography="Chicago, Illinois",
            populations=["low-wage", "immigrant-undocumented"],
            conditions=["voice-and-organizing", "free-from-discrimination"]),
        "Comprehensive Support for Workers' Health": dict(
            summary="The county's public health care system works with a legal aid "
                    "organization and a worker center for temporary workers so that patients' "
                    "problems at work reach legal and worker-center help.",
            action_type="direct-services", pse_class=PSEClass.SYSTEMS,
            twh_level="", geography="Cook County, Illinois",
            populations=["temporary-staffing", "low-wage"],
            conditions=["free-from-hazards", "job-security"]),
        "Forming Strong Partnerships for Health Equity": dict(
            summary="The city health department, an organization of restaurant workers and a "
                    "health-equity coalition form a partnership on work as a matter of health "
                    "equity.",
            action_type="coalition-building", pse_class=PSEClass.SYSTEMS,
            twh_level="", geography="Chicago, Illinois",
            populations=["restaurant-food-service", "low-wage"],
            conditions=["living-wage", "benefits"]),
        "Raising Awareness About Precarious Work and Health": dict(
            summary="A national health organization raises awareness of how precarious work "
                    "harms health.",
            action_type="communications-awareness", pse_class=PSEClass.INDIVIDUAL,
            twh_level=TWHLevel.EDUCATE, geography="Chicago, Illinois",
            populations=["low-wage"], conditions=["job-security", "benefits"]),
        "Setting New Standards for Internship Equity": dict(
            summary="The organization's internship equity committee replaced unpaid internships "
                    "with paid ones: three cohorts of three interns a year.",
            action_type="internal-policy", pse_class=PSEClass.POLICY,
            twh_level=TWHLevel.REDESIGN, geography="Chicago, Illinois",
            populations=["youth-interns"], conditions=["living-wage", "advancement"]),
        "Stable Employment for Community Health Workers": dict(
            summary="A statewide public health association and a university work toward stable "
                    "employment for community health workers.",
            action_type="public-policy-advocacy", pse_class=PSEClass.SYSTEMS,
            twh_level="", geography="Illinois", level=Level.STATE,
            populations=["community-health-workers"],
            conditions=["job-security", "benefits", "advancement"]),
    }
    # fmt: on
    plans = []
    for title, names in partners_demo.TEAMS:
        plans.append(
            {
                **common,
                **details[title],
                "title": title,
                "lead": names[0],
                "partners": [(name, InitiativePartner.Role.PARTNER) for name in names[1:]],
            }
        )
    return plans


def _places(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """The ways to say where an initiative of this organization takes place: (phrase, geography)."""
    state = STATE_NAMES.get(spec["state"], "")
    if spec["level"] == Level.NATIONAL or not state:
        return [("nationwide", "United States")]
    if spec["level"] == Level.STATE:
        return [("in Illinois", state), ("statewide", state)]
    places = []
    if spec["city"]:
        places.append((f"in {spec['city']}", f"{spec['city']}, {state}"))
    if spec["county"]:
        places.append((f"in {spec['county']} County", f"{spec['county']} County, {state}"))
    return places


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _plan_status_and_dates(rng: random.Random) -> tuple[str, date | None, date | None]:
    """A status and dates between 2010 and 2019, the end never before the start."""
    status = _weighted(rng, STATUS_WEIGHTS)
    if status == Status.PROPOSED:
        return status, date(rng.randint(2017, 2019), rng.randint(1, 12), 1), None
    start = date(rng.randint(2010, 2017 if status == Status.ACTIVE else 2016), rng.randint(1, 12), 1)
    if status == Status.ACTIVE:
        # Still running at the scan; some with a planned end.
        end = date(rng.randint(2018, 2019), rng.randint(1, 12), 28) if rng.random() < 0.3 else None
        return status, start, end
    months = start.month - 1 + rng.randint(6, 48)
    end_year = min(start.year + months // 12, 2019)
    end = date(end_year, months % 12 + 1, 28) if end_year > start.year else date(end_year, 12, 31)
    return status, start, end


def _scan_initiatives() -> list[dict[str, Any]]:
    """About 230 invented initiatives of the scan's organizations, the same on every run."""
    rng = random.Random(SEED)
    specs = [spec for spec in partners_demo.ORGANIZATIONS if spec["is_scanned"]]
    family = {spec["name"]: SECTOR_FAMILY[spec["sector"]] for spec in specs}
    # Four initiatives each, and one more for a few, to make SCAN_INITIATIVES.
    counts = {spec["name"]: SCAN_INITIATIVES // len(specs) for spec in specs}
    for spec in rng.sample(specs, SCAN_INITIATIVES - sum(counts.values())):
        counts[spec["name"]] += 1
    # Each family deals its action types from a shuffled deck, so that the family's shares hold
    # as weighted rather than only on average: the finding must not hang on the seed.
    decks = {
        name: _deck(rng, weights, sum(counts[spec["name"]] for spec in specs if family[spec["name"]] == name))
        for name, weights in ACTION_WEIGHTS.items()
    }
    # And each action type its PSE classes, for the same reason.
    dealt = Counter(action_type for deck in decks.values() for action_type in deck)
    pse_decks = {
        action_type: _deck(rng, PSE_WEIGHTS[action_type], dealt[action_type]) for action_type in dealt
    }
    taken = {title for title, _names in partners_demo.TEAMS}
    plans = []
    for spec in specs:
        for _index in range(counts[spec["name"]]):
            plan = _plan_one(rng, spec, decks[family[spec["name"]]].pop(), pse_decks, taken)
            # An internal policy is the lead's own business.
            is_internal = plan["action_type"] == "internal-policy"
            plan["partners"] = [] if is_internal else _plan_partners(rng, spec, specs, family)
            is_real = spec["is_real"] or any(
                other["is_real"] for other in specs if other["name"] in dict(plan["partners"])
            )
            if is_real:
                plan["summary"] += INVENTED
            plans.append(plan)
    return plans


def _deck(rng: random.Random, weights: dict[str, int], size: int) -> list[str]:
    """`size` values in proportion to `weights` (largest remainders), shuffled."""
    total = sum(weights.values())
    shares = {value: weight * size / total for value, weight in weights.items()}
    counts = {value: int(share) for value, share in shares.items()}
    by_remainder = sorted(shares, key=lambda value: shares[value] - counts[value], reverse=True)
    for value in by_remainder[: size - sum(counts.values())]:
        counts[value] += 1
    deck = [value for value, count in counts.items() for _copy in range(count)]
    rng.shuffle(deck)
    return deck


def _plan_one(
    rng: random.Random,
    spec: dict[str, Any],
    action_type: str,
    pse_decks: dict[str, list[str]],
    taken: set[str],
) -> dict[str, Any]:
    served = spec["populations"] or ["low-wage"]
    # Draw until the wording is new; titles are the demo's keys.
    for _attempt in range(200):
        template = rng.choice(TEMPLATES[action_type])
        if not template.suits(spec):
            continue
        population = template.population or template.requires or rng.choice(served)
        where, geography = rng.choice(_places(spec))
        words = {
            "pop": POPULATION_NOUNS[population],
            "Pop": POPULATION_NOUNS[population].capitalize(),
            "where": where,
            "org": spec["name"],
        }
        title = template.title.format(**words)
        if title not in taken:
            taken.add(title)
            break
    else:  # pragma: no cover - the templates leave plenty of room
        raise RuntimeError(f"No new title for {spec['name']} ({action_type})")

    populations = [population]
    if rng.random() < 0.3 and len(served) > 1:
        populations.append(rng.choice([slug for slug in served if slug != population] or served))
    conditions = template.conditions.split()
    if rng.random() < 0.2:
        conditions.append(rng.choice(["living-wage", "job-security", "benefits", "advancement"]))
    pse_class = template.pse if template.pse and rng.random() < 0.8 else ""
    pse_class = pse_class or pse_decks[action_type].pop()
    status, start_date, end_date = _plan_status_and_dates(rng)
    level = spec["level"]
    if level == Level.LOCAL and rng.random() < 0.12:
        level = Level.REGIONAL
    tags = [tag for tag in template.tags.split(";") if tag and rng.random() < 0.5]
    if "Spanish" in spec["languages"] and rng.random() < 0.15 and "Spanish-language" not in tags:
        tags.append("Spanish-language")
    return {
        "title": title,
        "summary": template.summary.format(**words),
        "lead": spec["name"],
        "action_type": action_type,
        "pse_class": pse_class,
        "twh_level": rng.choice(TWH_CHOICES[action_type]),
        "level": level,
        "geography": geography,
        "status": status,
        "start_date": start_date,
        "end_date": end_date,
        "populations": sorted(set(populations)),
        "conditions": sorted(set(conditions)),
        "evidence_rating": _weighted(rng, EVIDENCE_WEIGHTS) if rng.random() < 0.3 else "",
        "tags": tags,
        "links": f"https://example.org/initiatives/{slugify(title)}" if rng.random() < 0.25 else "",
        "source": SCAN_SOURCE if rng.random() < 0.9 else rng.choice(OTHER_SOURCES),
    }


def _plan_partners(
    rng: random.Random, spec: dict[str, Any], specs: list[dict[str, Any]], family: dict[str, str]
) -> list[tuple[str, str]]:
    """Partners drawn mostly from the lead's own side; a health-labor pair is rare (the finding).

    Two real organizations are never paired: that would invent a partnership between them."""
    lead_family = family[spec["name"]]
    labor_side, health_side = {"labor", "legal"}, {"health"}
    if lead_family in labor_side:
        allies, others = labor_side | {"community", "research"}, health_side
    elif lead_family in health_side:
        allies, others = health_side | {"community", "research"}, labor_side
    else:
        allies, others = {"health", "labor", "legal", "community", "research"}, set()

    def candidates(families: set[str]) -> list[dict[str, Any]]:
        return [
            other
            for other in specs
            if family[other["name"]] in families
            and other["name"] != spec["name"]
            and not (spec["is_real"] and other["is_real"])
        ]

    draw = rng.random()
    if others and draw < 0.04:
        chosen = [rng.choice(candidates(others))]
    elif draw < 0.35:
        chosen = rng.sample(candidates(allies), 1 if rng.random() < 0.75 else 2)
        if all(other["is_real"] for other in chosen):
            chosen = chosen[:1]
    else:
        return []
    role = InitiativePartner.Role
    return [(other["name"], role.LEAD if rng.random() < 0.1 else role.PARTNER) for other in chosen]


def plan() -> list[dict[str, Any]]:
    """Every demo initiative as plain data: the scan's, then the teams'."""
    return _scan_initiatives() + _team_initiatives()


SCALAR_FIELDS = [
    "summary",
    "pse_class",
    "twh_level",
    "level",
    "geography",
    "status",
    "start_date",
    "end_date",
    "evidence_rating",
    "links",
    "source",
]


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create or refresh the demo initiatives (after the partners' demo data)."""
    organizations = _organizations_by_name()
    action_types = {row.slug: row for row in ActionType.objects.all()}
    conditions = {row.slug: row for row in Condition.objects.all()}
    populations = {row.slug: row for row in Population.objects.all()}
    tags = {row.name: row for row in Tag.objects.all()}
    existing: dict[str, Initiative] = {}
    for initiative in Initiative.objects.order_by("-pk").prefetch_related(
        "populations", "conditions", "tags", Prefetch("partners", to_attr="partner_rows")
    ):
        existing[initiative.title] = initiative  # the oldest row with a title wins

    plans = plan()
    created = changed = skipped = 0
    for item in plans:
        lead = organizations.get(item["lead"])
        action_type = action_types.get(item["action_type"])
        if lead is None or action_type is None:  # not loaded, or renamed by an administrator
            skipped += 1
            continue
        partners = [(organizations[name], role) for name, role in item["partners"] if name in organizations]
        for name in item["tags"]:
            if name not in tags:
                tags[name] = Tag.objects.create(name=name)
        values = {field: item[field] for field in SCALAR_FIELDS}
        values["lead_organization_id"] = lead.pk
        values["action_type_id"] = action_type.pk
        many = {
            "populations": {populations[slug].pk for slug in item["populations"] if slug in populations},
            "conditions": {conditions[slug].pk for slug in item["conditions"] if slug in conditions},
            "tags": {tags[name].pk for name in item["tags"]},
        }
        wanted_partners = {(organization.pk, role) for organization, role in partners}
        initiative = existing.get(item["title"])
        if initiative is None:
            initiative = Initiative.objects.create(title=item["title"], **values)
            current_many: dict[str, set[int]] = {field: set() for field in many}
            current_partners: set[tuple[int, str]] = set()
            created += 1
        else:
            current_many = {field: {row.pk for row in getattr(initiative, field).all()} for field in many}
            current_partners = {(row.organization_id, row.role) for row in initiative.partner_rows}
            differing = [field for field, value in values.items() if getattr(initiative, field) != value]
            if differing or current_many != many or current_partners != wanted_partners:
                changed += 1
            if differing:
                for field in differing:
                    setattr(initiative, field, values[field])
                initiative.save(
                    update_fields=[field.removesuffix("_id") for field in differing] + ["updated_at"]
                )
        for field, pks in many.items():
            if current_many[field] != pks:
                getattr(initiative, field).set(pks)
        if current_partners != wanted_partners:
            initiative.partners.all().delete()
            InitiativePartner.objects.bulk_create(
                InitiativePartner(initiative=initiative, organization_id=pk, role=role)
                for pk, role in sorted(wanted_partners)
            )
            initiative.save(update_fields=["search_text"])  # now with the partners' names

    stdout.write(
        _("Catalog: %(initiatives)d demo initiatives (%(new)d new, %(changed)d changed).\n")
        % {"initiatives": len(plans) - skipped, "new": created, "changed": changed}
    )
    if skipped:
        stdout.write(
            _(
                "Catalog: %(skipped)d demo initiatives skipped: their organization or action type is "
                "missing (load the partners' demo data first).\n"
            )
            % {"skipped": skipped}
        )


def _organizations_by_name() -> dict[str, Organization]:
    """The demo organizations by name; a merged-away one stands for the record it went into."""
    names = set(partners_demo.SCAN_ORGANIZATIONS) | {
        name for _title, members in partners_demo.TEAMS for name in members
    }
    by_name = {}
    for organization in (
        Organization.objects.filter(name__in=names).select_related("merged_into").order_by("-pk")
    ):
        by_name[organization.name] = organization.merged_into or organization
    return by_name
