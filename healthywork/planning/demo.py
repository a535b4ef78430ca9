"""The demo planning tools: for each team of the demo collaborative (see `collaborative.demo`) a
power map, a theory of change and an action plan that fit its public story, and two snapshots of
each artifact (and of its definition of precarious work): after session 4 and after session 6.

The artifacts are built in three stages, as a team would have: the state after session 4 (some
actors placed differently, fewer outcomes, fewer objectives), snapshotted; the state after session 6
(stances moved, outcomes and an objective added), snapshotted; then the plan's progress during the
fall implementation (step statuses). So the snapshot difference and the live artifact both read
plausibly. Every detail is invented (fictional detail on real organizations' team stories); actors
other than registry organizations are described by role, never by a real person's name.

"Raising Awareness About Precarious Work and Health" keeps a deliberately incomplete theory of
change: validation shows warnings (outcomes without indicators, a link without a rationale, an
intervention without an owner) but no error and no cycle.

`load()` is idempotent: a team's artifacts are made only when the team has none of them and no
snapshot, so a second run (or a team's own edits) changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.collaborative import demo as collaborative_demo
from healthywork.collaborative.models import Cohort, Session, Team
from healthywork.partners.models import Organization
from healthywork.planning import snapshots
from healthywork.planning.models import (
    ActionPlan,
    ActionStep,
    Actor,
    ActorKind,
    ActorLink,
    ArtifactKind,
    Assumption,
    Indicator,
    Intervention,
    Objective,
    Outcome,
    OutcomeLink,
    PowerMap,
    Snapshot,
    StepStatus,
    TheoryOfChange,
)

INCOMPLETE_TEAM = "Raising Awareness About Precarious Work and Health"
SNAPSHOT_SESSIONS = {4: "After session 4: action planning", 6: "After session 6: sharing results"}
NEW = "new"  # an item added after session 4
KINDS = {"p": ActorKind.PERSON, "o": ActorKind.ORGANIZATION, "i": ActorKind.INSTITUTION,
         "d": ActorKind.DECISION_MAKER}  # fmt: skip
DONE, DOING, TODO, BLOCKED = (
    StepStatus.DONE,
    StepStatus.IN_PROGRESS,
    StepStatus.NOT_STARTED,
    StepStatus.BLOCKED,
)

# Per team (by case-study title):
#   own: the team's organizations on its map, by position (0 = lead): (power, stance)
#   actors: (name, kind, power, stance, is target, state after session 4: None = same, NEW, or
#       (power, stance))
#   links: (source, kind, target, strength, NEW or None); an own organization is named by its position
#   outcomes: (key, title, below the ceiling, indicator or None, NEW or None); the goal's key is "goal"
#       indicator: (what, population, target, threshold, by when, data source)
#   outcome_links: (precondition key, outcome key, rationale)
#   interventions: (title, outcome key, responsible organization position or None)
#   assumptions: (text, outcome key)
#   objectives: (text, outcome key, NEW or None, steps)
#       step: (what, who: organization position, start, due, status after the fall, resources available,
#              resources needed, barriers, communication); dates are 2018 "MM-DD" unless a full date
# fmt: off
TEAM_PLANS: dict[str, dict[str, Any]] = {
    "Advancing Labor Rights in Immigrant Communities": {
        "issue": "Health department outreach in suburban Cook County answers labor-rights questions, and one "
                 "suburban village adopts a wage theft ordinance that ties business licenses to paid wage "
                 "judgments.",
        "own": [(4, 5), (6, 4), (4, 5)],
        "actors": [
            ("Village board of trustees", "d", 8, -1, True, (8, -2)),
            ("Village president", "d", 9, 0, True, None),
            ("County commissioner for the district", "d", 7, 1, True, None),
            ("State Department of Labor, wage claims unit", "i", 7, 2, False, None),
            ("Local chamber of commerce", "o", 6, -3, False, None),
            ("Staffing agencies serving local warehouses", "o", 5, -4, False, None),
            ("Legal Aid Chicago", "o", 4, 4, False, None),
            ("Spanish-language community radio", "o", 4, 2, False, None),
            ("Parish social ministry", "o", 3, 4, False, NEW),
        ],
        "links": [
            (0, "allied", 2, 3, None),
            (1, "influences", "County commissioner for the district", 2, None),
            ("Local chamber of commerce", "influences", "Village board of trustees", 3, None),
            ("Staffing agencies serving local warehouses", "member_of", "Local chamber of commerce", 2, None),
            ("Village president", "influences", "Village board of trustees", 3, None),
            ("Legal Aid Chicago", "allied", 0, 2, None),
            ("Spanish-language community radio", "influences", "Village board of trustees", 1, None),
            (2, "opposes", "Staffing agencies serving local warehouses", 2, None),
            ("Parish social ministry", "influences", "Village president", 2, NEW),
        ],
        "goal": "Immigrant workers in suburban Cook County are paid what they earn and work safely, without "
                "fear of retaliation",
        "outcomes": [
            ("trained", "Outreach workers are trained on labor rights and referral", True,
             ("Outreach workers who complete the labor-rights training", "Health department outreach staff",
              "12", "10", "2018-10-31", "Training records"), None),
            ("referred", "Outreach workers refer labor problems to the worker centers", True,
             ("Referrals from outreach workers to the worker centers", "Outreach clients", "60", "40",
              "2018-12-15", "Shared referral log"), None),
            ("rights", "Immigrant workers know their rights on wages, safety and retaliation", True,
             ("Workshop participants who can name two rights and where to report", "Immigrant workers in "
              "three suburbs", "300 workers", "70% correct", "2018-12-15", "Sign-in sheets and quiz"), None),
            ("claims", "More wage claims are filed and won", False, None, None),
            ("support", "Residents, parishes and businesses publicly back a wage theft ordinance", True,
             ("Letters and public comments in support", "Village residents and businesses", "50", "25",
              "2018-12-01", "Board minutes and campaign records"), NEW),
            ("ordinance", "A suburban village adopts a wage theft ordinance", False, None, None),
            ("licenses", "Employers with unpaid wage judgments lose their business license", False, None,
             None),
        ],
        "outcome_links": [
            ("trained", "referred", "Outreach workers refer what they recognise as a labor problem and know "
                                    "where to send."),
            ("referred", "rights", "Referred workers get counselling and join the centers' workshops."),
            ("rights", "claims", "Workers who know the process and have support file claims instead of "
                                 "walking away."),
            ("claims", "goal", "Won claims return wages and show employers that theft has a cost."),
            ("rights", "support", "Workers who know their rights testify and bring their neighbors."),
            ("support", "ordinance", "Trustees vote for what constituents and local businesses ask for "
                                     "publicly."),
            ("ordinance", "licenses", "The ordinance ties licenses to paid judgments."),
            ("licenses", "goal", "Losing a license deters wage theft more than a fine does."),
        ],
        "interventions": [
            ("Labor-rights training for health department outreach workers", "trained", 1),
            ("Know-your-rights workshops in Spanish at parishes and laundromats", "rights", 0),
            ("Wage-claim clinics with volunteer attorneys", "claims", 2),
            ("Campaign for a village wage theft ordinance", "support", 0),
        ],
        "assumptions": [
            ("Workers come forward when the referral comes from a trusted health worker.", "referred"),
            ("The village board takes up the ordinance before the spring elections.", "ordinance"),
        ],
        "narrative_s4": "Health department outreach becomes a door to labor rights: trained outreach workers "
                        "refer immigrant workers to the worker centers, who help them claim their wages.",
        "narrative": "Health department outreach becomes a door to labor rights: trained outreach workers "
                     "refer immigrant workers to the worker centers, who help them claim their wages. "
                     "Alongside, a campaign backed by residents and parishes asks a suburban village to deny "
                     "licenses to employers who do not pay wage judgments.",
        "objectives": [
            ("By October 31, 2018, at least 10 of the 12 health department outreach workers complete a "
             "four-hour labor-rights and referral training.", "trained", None, [
                ("Adapt the worker centers' know-your-rights curriculum for outreach staff", 0, "09-04",
                 "09-21", DONE, "The centers' curriculum; trainer time", "Printing in Spanish and English",
                 "Staff time is short during flu-shot season", "Outreach supervisors, by email"),
                ("Schedule two training sessions with outreach supervisors", 1, "09-10", "09-28", DONE,
                 "Meeting rooms at the regional office", "",
                 "Supervisors may not release staff for four hours",
                 "Outreach staff, by calendar invitation"),
                ("Deliver the training with a post-test", 2, "10-01", "10-31", DONE,
                 "Two trainers from the worker centers", "Stipends for trainers", "",
                 "Health department leadership, in the team's monthly report"),
                ("Set up a shared referral form and log", 1, "10-15", "11-15", DOING,
                 "The department's referral system", "IT time to add a referral code",
                 "Privacy rules on sharing client data", "Outreach workers and both centers"),
            ]),
            ("By December 15, 2018, 300 immigrant workers attend know-your-rights workshops in Spanish in "
             "three suburbs.", "rights", None, [
                ("Book workshop sites at parishes and laundromats", 0, "09-04", "09-28", DONE,
                 "Relationships with two parishes", "", "Sites want insurance certificates",
                 "Parish staff and laundromat owners"),
                ("Announce the workshops on Spanish-language radio", 2, "09-24", "10-12", DONE,
                 "A standing radio slot", "Recording time", "", "Listeners; team by email"),
                ("Hold 12 workshops with a health screening table", 0, "10-01", "12-15", DOING,
                 "Promoters from both centers; blood-pressure cuffs from the health department",
                 "Childcare and snacks", "Fear of immigration enforcement keeps people home",
                 "Participants by text message"),
                ("Run the post-workshop quiz and count referrals", 1, "10-01", "12-15", DOING,
                 "Quiz in Spanish", "Data entry help", "", "Team, at the December meeting"),
            ]),
            ("By December 1, 2018, 25 residents and businesses publicly support a wage theft ordinance in "
             "one suburban village.", "support", NEW, [
                ("Meet the village president and two trustees", 0, "10-01", "10-31", BLOCKED,
                 "Worker stories; a model ordinance", "", "The village president postponed the meeting twice",
                 "Team and parish allies"),
                ("Collect letters of support from parishes and small businesses", 2, "10-15", "11-30", DOING,
                 "A template letter", "Volunteers to visit businesses", "The chamber of commerce opposes",
                 "Signers, by phone"),
                ("Prepare worker testimony for the board meeting", 0, "11-01", "12-01", TODO,
                 "Workers who won claims", "Interpretation at the meeting", "Retaliation fears",
                 "Local press the day before"),
            ]),
        ],
    },
    "Advocating for Healthier Communities": {
        "issue": "The Boone County Board adds job quality (wages, benefits, stable hours) to the conditions "
                 "of its economic development incentives and to the community health improvement plan.",
        "own": [(5, 5), (9, 2), (6, 1), (6, 3)],
        "actors": [
            ("County board chair", "d", 9, 1, True, (9, 0)),
            ("County economic development committee", "d", 8, 0, True, None),
            ("Large manufacturers in the county", "o", 8, -3, False, None),
            ("Staffing agencies in the county", "o", 5, -4, False, None),
            ("Community college workforce programs", "o", 5, 3, False, None),
            ("Regional hospital", "o", 6, 2, False, NEW),
            ("Local newspaper", "o", 4, 1, False, None),
            ("Prairie State Workers' Safety Committee", "o", 3, 5, False, None),
        ],
        "links": [
            (1, "member_of", "County economic development committee", 3, None),
            ("County board chair", "influences", "County economic development committee", 3, None),
            (2, "allied", "Large manufacturers in the county", 2, None),
            ("Large manufacturers in the county", "influences", "County board chair", 3, None),
            ("Staffing agencies in the county", "allied", "Large manufacturers in the county", 2, None),
            (0, "allied", 3, 2, None),
            ("Community college workforce programs", "allied", 3, 3, None),
            ("Local newspaper", "influences", "County board chair", 1, None),
            ("Regional hospital", "allied", 0, 2, NEW),
        ],
        "goal": "More Boone County residents hold stable jobs with a living wage and health benefits",
        "outcomes": [
            ("data", "The board sees local data on job quality and health", True,
             ("Job-quality data brief presented to the board", "County board members", "1 brief", "1",
              "2018-10-16", "Board agenda"), None),
            ("employers", "Employers learn how job quality affects their workforce's health", True,
             ("Employers attending the healthy-jobs breakfast", "Manufacturers and warehouses", "25", "15",
              "2018-11-30", "Sign-in sheet"), None),
            ("chip", "The community health improvement plan includes job-quality objectives", True,
             ("Job-quality objectives in the health improvement plan", "County residents", "2 objectives",
              "1",
              "2018-12-14", "Published plan"), None),
            ("criteria", "Incentive criteria reward wages, benefits and direct hiring", False, None, None),
            ("training", "Workforce training leads to direct-hire jobs, not only temp placements", True,
             ("Trainees placed in direct-hire jobs", "Workforce program graduates", "40%", "30%",
              "2018-12-14", "Workforce board placement records"), NEW),
            ("jobs", "Employers receiving incentives create stable jobs", False, None, None),
        ],
        "outcome_links": [
            ("data", "criteria", "Board members act on local numbers more than on general arguments."),
            ("employers", "criteria", "Employers who see the business case do not fight the criteria."),
            ("data", "chip", "The health department leads the plan and can add what the data show."),
            ("chip", "goal", "The plan commits partners and budgets to job quality for five years."),
            ("criteria", "jobs", "Incentives are worth enough to change hiring decisions."),
            ("training", "jobs", "Direct-hire pipelines give employers an alternative to staffing agencies."),
            ("jobs", "goal", "Stable jobs with benefits are what residents need for health."),
        ],
        "interventions": [
            ("Job-quality data brief for the county board", "data", 0),
            ("Healthy-jobs employer breakfast with the economic development office", "employers", 2),
            ("Draft incentive criteria with the economic development committee", "criteria", 1),
            ("Direct-hire track in the workforce board's programs", "training", 3),
        ],
        "assumptions": [
            ("The board reviews its incentives in 2019 as planned.", "criteria"),
            ("Employers can afford benefits when incentives offset part of the cost.", "jobs"),
        ],
        "narrative_s4": "Local data and the voice of employers move the county board to reward job quality "
                        "in its incentives.",
        "narrative": "Local data and the voice of employers move the county board to reward job quality in "
                     "its incentives, while the health improvement plan and the workforce board's "
                     "direct-hire track make good jobs a shared county priority.",
        "objectives": [
            ("By October 16, 2018, present a job-quality and health data brief to the county board.", "data",
             None, [
                ("Gather county data on wages, temp work and insurance", 0, "09-04", "09-21", DONE,
                 "Census and health survey data", "Analyst time", "Small-area data are thin",
                 "Team by email"),
                ("Write a four-page brief with the Center for Healthy Work", 0, "09-17", "10-05", DONE,
                 "Center staff review", "Design and printing", "", "County administrator"),
                ("Present the brief at the board's committee of the whole", 1, "10-16", "10-16", DONE,
                 "A board member sponsor", "", "The agenda is crowded", "Local newspaper"),
            ]),
            ("By November 30, 2018, 15 employers attend a healthy-jobs breakfast and five commit to review "
             "their hiring practices.", "employers", None, [
                ("Draw up the invitation list with the economic development office", 2, "10-01", "10-19",
                 DONE, "The office's employer list", "", "Employers are wary of regulation",
                 "Invitations from the economic development director"),
                ("Hold the breakfast with two employer speakers", 2, "11-08", "11-08", DONE,
                 "A venue from the community college", "Catering", "", "Participants; newspaper"),
                ("Follow up with each employer who attended", 3, "11-12", "11-30", DOING,
                 "Workforce specialists' contacts", "", "Follow-up competes with placements",
                 "Team at the December meeting"),
            ]),
            ("By December 14, 2018, the draft community health improvement plan has at least one job-quality "
             "objective and the workforce board opens a direct-hire track.", "training", NEW, [
                ("Propose job-quality objectives to the health plan steering group", 0, "11-01", "11-30",
                 DOING, "The data brief", "", "Other priorities compete for space in the plan",
                 "Steering group members"),
                ("Design the direct-hire track with two manufacturers", 3, "11-15", "12-14", TODO,
                 "Training funds", "Employer commitments", "Employers prefer temp-to-hire",
                 "Workforce board members"),
                ("Draft incentive criteria for the 2019 review", 1, "11-15", "12-14", BLOCKED,
                 "Model criteria from other counties", "Legal review", "The committee chair wants to wait",
                 "Team and economic development office"),
            ]),
        ],
    },
    "Building Community Support for Healthy Work": {
        "issue": "Congregations and community groups in the worker centers' neighborhoods stand with workers "
                 "who report unsafe or unfair conditions, and employers that retaliate face public pressure.",
        "own": [(4, 5), (6, 3), (4, 5)],
        "actors": [
            ("Employers with repeated wage-theft complaints", "o", 6, -5, True, None),
            ("Alderman of the ward", "d", 7, 0, True, (7, -1)),
            ("Interfaith clergy network", "o", 5, 3, False, (5, 1)),
            ("Neighborhood block clubs", "o", 3, 2, False, None),
            ("Local business association", "o", 5, -2, False, None),
            ("Community newspaper", "o", 4, 1, False, None),
            ("Federal workplace safety agency, area office", "i", 8, 2, False, None),
            ("Youth organizing group", "o", 2, 4, False, NEW),
        ],
        "links": [
            (0, "allied", 2, 3, None),
            ("Interfaith clergy network", "influences", "Alderman of the ward", 2, None),
            ("Local business association", "influences", "Alderman of the ward", 2, None),
            ("Employers with repeated wage-theft complaints", "member_of", "Local business association", 1,
             None),
            ("Community newspaper", "influences", "Employers with repeated wage-theft complaints", 1, None),
            (0, "opposes", "Employers with repeated wage-theft complaints", 3, None),
            ("Neighborhood block clubs", "allied", "Interfaith clergy network", 2, None),
            ("Youth organizing group", "allied", 2, 2, NEW),
        ],
        "goal": "Workers in the neighborhoods can raise concerns about safety and pay without losing their "
                "jobs",
        "outcomes": [
            ("leaders", "Faith and community leaders understand workers' rights and retaliation", True,
             ("Leaders completing the ally training", "Clergy and community leaders", "40", "25",
              "2018-11-30", "Training sign-in"), None),
            ("network", "A rapid-response network of allies is in place", True,
             ("Allies on the rapid-response list", "Congregation and block-club members", "100", "60",
              "2018-12-15", "Network roster"), None),
            ("actions", "Allies join workers' delegations and public actions", True,
             ("Delegations with community allies present", "Workers with open complaints", "6", "4",
              "2018-12-15", "Worker center case records"), None),
            ("media", "Local media cover retaliation cases", True,
             ("Stories on retaliation in local media", "Neighborhood readers", "4", "2", "2018-12-15",
              "Media log"), NEW),
            ("pressure", "Employers that retaliate face public and political pressure", False, None, None),
            ("reports", "Workers report violations to the agencies", False, None, None),
        ],
        "outcome_links": [
            ("leaders", "network", "Trained leaders recruit their members into the network."),
            ("network", "actions", "A list and a phone tree turn sympathy into showing up."),
            ("actions", "pressure", "Employers respond to clergy and neighbors at the door."),
            ("media", "pressure", "Coverage raises the cost of retaliation."),
            ("actions", "media", "Delegations with clergy make a story."),
            ("pressure", "goal", "When retaliation costs more than it saves, employers stop."),
            ("network", "reports", "Workers who feel backed file complaints."),
            ("reports", "goal", "Agency enforcement corrects violations and protects complainants."),
        ],
        "interventions": [
            ("Ally training for clergy and community leaders", "leaders", 0),
            ("Rapid-response phone tree", "network", 2),
            ("Media training for workers and allies", "media", 2),
            ("Complaint clinics with health department referrals", "reports", 1),
        ],
        "assumptions": [
            ("Congregations are willing to take a public side in workplace disputes.", "actions"),
            ("Agencies act on complaints within months, not years.", "reports"),
        ],
        "narrative_s4": "Trained community leaders and a rapid-response network stand with workers, so "
                        "retaliation meets public pressure.",
        "narrative": "Trained community leaders and a rapid-response network stand with workers, so "
                     "retaliation meets public pressure; local media carry the stories and workers, feeling "
                     "backed, take complaints to the agencies.",
        "objectives": [
            ("By November 30, 2018, 25 clergy and community leaders complete the ally training.", "leaders",
             None, [
                ("Recruit leaders through the interfaith clergy network", 0, "09-04", "10-05", DONE,
                 "Existing relationships with six congregations", "", "Summer schedules",
                 "Clergy network newsletter"),
                ("Hold three evening trainings in English and Spanish", 2, "10-09", "11-20", DONE,
                 "Trainers from both worker centers", "Interpretation equipment", "",
                 "Participants by text"),
                ("Add a session on work and health led by the health department", 1, "10-23", "10-23",
                 DONE, "Health educator", "", "", "Participants"),
            ]),
            ("By December 15, 2018, 60 allies are on a rapid-response list and join at least four "
             "delegations.", "network", None, [
                ("Build the roster and phone tree", 2, "10-15", "11-15", DONE, "Volunteer coordinator", "",
                 "Data privacy for members", "Roster members"),
                ("Test the phone tree with a practice call", 2, "11-16", "11-20", DONE, "", "", "",
                 "Roster members"),
                ("Join workers' delegations to employers", 0, "11-01", "12-15", DOING,
                 "Workers with open cases", "Transportation", "Employers may call the police",
                 "Allies by phone tree"),
                ("Report the delegations to the team and funders", 1, "12-01", "12-21", TODO, "", "", "",
                 "Team; program staff"),
            ]),
            ("By December 15, 2018, local media carry two stories on retaliation.", "media", NEW, [
                ("Hold a media training for workers and allies", 2, "10-20", "11-10", DONE,
                 "A volunteer journalist", "", "Workers fear being identified", "Participants"),
                ("Pitch stories to the community newspaper and radio", 0, "11-12", "12-15", DOING,
                 "Press list", "", "News cycle", "Reporters"),
                ("Write a health department statement on retaliation and health", 1, "11-19", "12-14", TODO,
                 "Health educator", "Approval by the department's communications office",
                 "The department avoids taking sides in disputes", "Reporters; team"),
            ]),
        ],
    },
    "Comprehensive Support for Workers' Health": {
        "issue": "Cook County Health's clinics screen patients for work-related problems and refer them to "
                 "legal aid and the worker center, and the system funds the referral pathway.",
        "own": [(8, 4), (5, 5), (4, 5)],
        "actors": [
            ("Health system chief medical officer", "d", 9, 1, True, (9, 0)),
            ("Clinic medical directors", "d", 7, 2, True, None),
            ("Primary care nurses and medical assistants", "p", 4, 3, False, None),
            ("Electronic health record team", "o", 6, 0, False, None),
            ("Staffing agencies placing temp workers", "o", 6, -4, False, None),
            ("County board health committee", "d", 8, 1, True, None),
            ("Patients' advisory council", "o", 3, 4, False, NEW),
            ("Occupational medicine clinic", "o", 5, 3, False, None),
        ],
        "links": [
            ("Health system chief medical officer", "influences", "Clinic medical directors", 3, None),
            ("Clinic medical directors", "influences", "Primary care nurses and medical assistants", 3, None),
            (0, "allied", 1, 2, None),
            (1, "allied", 2, 3, None),
            (2, "opposes", "Staffing agencies placing temp workers", 3, None),
            ("County board health committee", "influences", "Health system chief medical officer", 2, None),
            ("Electronic health record team", "member_of", 0, 2, None),
            ("Occupational medicine clinic", "allied", 0, 2, None),
            ("Patients' advisory council", "influences", "Health system chief medical officer", 1, NEW),
        ],
        "goal": "Patients in precarious jobs get care, legal help and support for the work problems that "
                "harm their health",
        "outcomes": [
            ("staff", "Clinic staff recognise work-related problems", True,
             ("Clinic staff trained on work and health", "Nurses and medical assistants in two clinics",
              "60", "45", "2018-11-30", "Training records"), None),
            ("screen", "Patients are asked about work at intake", True,
             ("Intake visits with the work questions answered", "Adult patients of two pilot clinics",
              "50%", "30%", "2018-12-14", "Health record report"), None),
            ("refer", "Patients with work problems are referred to legal aid or the worker center", True,
             ("Referrals completed", "Patients screening positive", "80", "50", "2018-12-14",
              "Referral tracking sheet"), None),
            ("resolved", "Workers' wage, injury and leave problems are resolved", False, None, None),
            ("funded", "The health system funds the referral pathway", False, None, NEW),
        ],
        "outcome_links": [
            ("staff", "screen", "Staff ask about what they know how to handle."),
            ("screen", "refer", "A positive screen triggers a warm hand-off."),
            ("refer", "resolved", "Legal aid and the worker center resolve most cases they take."),
            ("resolved", "goal", "Resolving the work problem removes a cause of illness."),
            ("refer", "funded", "Pilot numbers make the case to leadership."),
            ("funded", "goal", "Funding keeps the pathway beyond the pilot."),
        ],
        "interventions": [
            ("Training on work and health for clinic staff", "staff", 0),
            ("Two work questions in the intake form", "screen", 0),
            ("Weekly legal aid and worker center hours at the clinics", "refer", 1),
            ("Budget request to the health system", "funded", 0),
        ],
        "assumptions": [
            ("Patients answer honestly about work when asked by clinic staff.", "screen"),
            ("Legal aid has capacity for the extra cases.", "resolved"),
        ],
        "narrative_s4": "Clinic staff ask patients about work and refer work problems to legal aid and the "
                        "worker center, who resolve them.",
        "narrative": "Clinic staff ask patients about work and refer work problems to legal aid and the "
                     "worker center, who resolve them; the pilot's numbers persuade the health system to "
                     "fund the pathway for good.",
        "objectives": [
            ("By November 30, 2018, 45 staff of two pilot clinics complete the work-and-health training.",
             "staff", None, [
                ("Agree the pilot clinics with the medical directors", 0, "09-04", "09-21", DONE,
                 "Chief medical officer's support", "", "Clinics are short-staffed", "Clinic managers"),
                ("Adapt the training with the worker center", 2, "09-17", "10-12", DONE,
                 "Worker stories; case examples", "", "", "Team by email"),
                ("Train staff at both clinics", 0, "10-15", "11-30", DONE, "Protected staff meeting time", "",
                 "Turnover among medical assistants", "Clinic newsletters"),
            ]),
            ("By December 14, 2018, 30% of adult intakes at the pilot clinics include the work questions and "
             "50 patients are referred.", "refer", None, [
                ("Add the work questions to the intake template", 0, "10-01", "11-02", DONE,
                 "Health record team", "Build time", "Change requests queue for months",
                 "Clinic staff"),
                ("Start legal aid and worker center office hours", 1, "11-05", "11-16", DONE,
                 "A room in each clinic", "Staff time", "", "Patients by flyers"),
                ("Track referrals and outcomes", 2, "11-05", "12-14", DOING, "Shared spreadsheet", "",
                 "Consent to share case outcomes", "Team monthly"),
            ]),
            ("By December 21, 2018, submit a budget request to sustain the referral pathway.", "funded",
             NEW, [
                ("Cost the pathway per referral", 0, "11-15", "12-07", DOING, "Pilot data", "Finance analyst",
                 "", "Team"),
                ("Gather patient and partner letters for the request", 1, "11-26", "12-14", DOING,
                 "Cases resolved in the pilot", "Patients' consent", "", "Patients' advisory council"),
                ("Present the request to the health committee", 0, "12-10", "12-21", TODO, "", "",
                 "Budget cycle closes early", "County board health committee"),
            ]),
        ],
    },
    "Forming Strong Partnerships for Health Equity": {
        "issue": "Restaurant workers in Chicago know and use the city's paid sick leave, and the health "
                 "department works with restaurant workers on enforcement and fair scheduling.",
        "own": [(8, 4), (5, 5), (4, 5)],
        "actors": [
            ("City labor standards office", "i", 7, 2, True, (7, 1)),
            ("City council workforce committee", "d", 8, 1, True, None),
            ("State restaurant association", "o", 8, -4, False, None),
            ("Restaurant owners in the pilot neighborhoods", "o", 5, -2, False, (5, -3)),
            ("Health department restaurant inspectors", "p", 5, 1, False, None),
            ("Culinary training programs", "o", 3, 3, False, None),
            ("Diners and neighborhood residents", "p", 3, 2, False, NEW),
        ],
        "links": [
            (0, "allied", 1, 2, None),
            (1, "allied", 2, 3, None),
            ("State restaurant association", "influences", "City council workforce committee", 3, None),
            ("Restaurant owners in the pilot neighborhoods", "member_of", "State restaurant association", 2,
             None),
            ("Health department restaurant inspectors", "member_of", 0, 3, None),
            ("City labor standards office", "influences", "Restaurant owners in the pilot neighborhoods", 2,
             None),
            ("Culinary training programs", "allied", 1, 1, None),
            ("Diners and neighborhood residents", "influences",
             "Restaurant owners in the pilot neighborhoods", 1, NEW),
        ],
        "goal": "Restaurant workers in Chicago have paid sick days and predictable schedules",
        "outcomes": [
            ("aware", "Restaurant workers know about paid sick leave and how to use it", True,
             ("Workers reached who can explain how to use sick leave", "Restaurant workers in two "
              "neighborhoods", "500", "300", "2018-12-14", "Outreach survey"), None),
            ("inspectors", "Inspectors hand out sick-leave information at every inspection", True,
             ("Inspections with materials handed out", "Restaurants inspected", "90%", "75%", "2018-12-14",
              "Inspection records"), None),
            ("complaints", "Workers file complaints when leave is denied", True,
             ("Sick-leave complaints with worker support", "Restaurant workers", "20", "10", "2018-12-14",
              "Labor standards office data"), None),
            ("enforced", "The labor standards office enforces sick leave in restaurants", False, None, None),
            ("partnership", "The health department and restaurant workers have a standing partnership", True,
             ("Joint meetings held", "Partner staff", "6", "4", "2018-12-14", "Minutes"), NEW),
            ("scheduling", "The city considers a fair scheduling ordinance", False, None, None),
        ],
        "outcome_links": [
            ("inspectors", "aware", "Inspectors reach every kitchen, including those organizers cannot "
                                    "enter."),
            ("aware", "complaints", "Workers who know the law and have support act on it."),
            ("complaints", "enforced", "Complaints trigger investigations."),
            ("enforced", "goal", "Enforcement makes leave real for workers."),
            ("partnership", "scheduling", "A health voice beside workers carries weight with council."),
            ("scheduling", "goal", "Predictable schedules complete what sick leave began."),
            ("partnership", "inspectors", "The partnership agrees the materials and the training."),
        ],
        "interventions": [
            ("Sick-leave fact sheet handed out at inspections", "inspectors", 0),
            ("Peer outreach by restaurant workers", "aware", 1),
            ("Complaint support nights", "complaints", 1),
            ("Quarterly partnership meetings", "partnership", 2),
        ],
        "assumptions": [
            ("Owners do not retaliate against workers who take leave.", "complaints"),
            ("Inspectors have time at the end of inspections.", "inspectors"),
        ],
        "narrative_s4": "Inspectors and peer organizers tell restaurant workers about paid sick leave; "
                        "workers who are denied leave complain, and enforcement follows.",
        "narrative": "Inspectors and peer organizers tell restaurant workers about paid sick leave; workers "
                     "who are denied leave complain, and enforcement follows. A standing partnership of the "
                     "health department and restaurant workers then takes fair scheduling to the council.",
        "objectives": [
            ("By December 14, 2018, inspectors hand out sick-leave materials at 75% of inspections in two "
             "neighborhoods.", "inspectors", None, [
                ("Write the fact sheet in English, Spanish and Chinese", 1, "09-04", "09-28", DONE,
                 "The ordinance summary", "Translation", "", "Inspectors' supervisor"),
                ("Brief inspectors at their monthly meeting", 0, "10-03", "10-03", DONE,
                 "Meeting time", "", "Inspectors see it as outside their job", "Inspection managers"),
                ("Count materials handed out", 0, "10-08", "12-14", DOING, "Inspection checklist", "", "",
                 "Team monthly"),
            ]),
            ("By December 14, 2018, peer organizers reach 300 restaurant workers and support 10 complaints.",
             "complaints", None, [
                ("Train eight peer organizers", 1, "09-10", "10-05", DONE, "Curriculum", "Stipends", "",
                 "Organizers"),
                ("Visit restaurants at shift change", 1, "10-08", "12-14", DOING, "Organizers", "",
                 "Managers ask organizers to leave", "Workers by text"),
                ("Hold monthly complaint support nights", 2, "10-15", "12-14", DOING, "Volunteer lawyers",
                 "", "Workers fear retaliation", "Workers by text"),
            ]),
            ("By December 14, 2018, the partners hold four joint meetings and agree a shared agenda on "
             "scheduling.", "partnership", NEW, [
                ("Agree a memorandum of understanding", 0, "10-01", "11-15", BLOCKED, "Draft memorandum",
                 "Legal review", "City legal review is slow", "Department leadership"),
                ("Hold quarterly meetings", 2, "10-15", "12-14", DOING, "Meeting space", "", "",
                 "Partners"),
                ("Draft a shared agenda on fair scheduling", 1, "11-15", "12-14", TODO,
                 "Worker survey on schedules", "", "The restaurant association lobbies against",
                 "Council workforce committee staff"),
            ]),
        ],
    },
    "Raising Awareness About Precarious Work and Health": {
        "issue": "The association's workplace health programs and public messages name precarious work "
                 "(insecure jobs, low pay, unpredictable hours) as a risk to heart health.",
        "own": [(7, 4)],
        "actors": [
            ("Regional board of directors", "d", 9, 0, True, (9, -1)),
            ("Workplace health program staff", "p", 5, 2, False, None),
            ("Employers in the workplace health program", "o", 7, -2, True, None),
            ("Communications department", "o", 6, 1, False, None),
            ("Volunteer advocates", "p", 4, 3, False, None),
            ("Cardiologists in the volunteer network", "p", 5, 2, False, None),
            ("Southwest Side Temp Workers Committee", "o", 3, 5, False, None),
            ("National office science staff", "i", 8, 1, False, NEW),
        ],
        "links": [
            ("Regional board of directors", "influences", 0, 3, None),
            ("Employers in the workplace health program", "influences", "Regional board of directors", 2,
             None),
            ("Communications department", "member_of", 0, 3, None),
            ("Workplace health program staff", "member_of", 0, 3, None),
            ("Southwest Side Temp Workers Committee", "allied", "Volunteer advocates", 1, None),
            ("Cardiologists in the volunteer network", "influences", "Regional board of directors", 2, None),
            ("National office science staff", "influences", "Communications department", 2, NEW),
        ],
        "goal": "Employers and the public see precarious work as a risk to heart health and act on it",
        "outcomes": [
            ("staff", "Program staff understand precarious work and health", True,
             ("Program staff trained", "Workplace health staff", "20", "", "2018-10-31", "Training records"),
             None),
            ("messages", "Heart-health messages mention job strain, pay and hours", True, None, None),
            ("employers", "Employers in the program review scheduling and pay practices", True, None, None),
            ("volunteers", "Volunteers speak about work and heart health", True, None, NEW),
            ("public", "The public links work conditions to heart health", False, None, None),
        ],
        "outcome_links": [
            ("staff", "messages", "Staff write the messages."),
            ("staff", "employers", ""),
            ("messages", "public", "Repeated messages from a trusted source change what people believe."),
            ("volunteers", "public", "Volunteers reach people where they live and worship."),
            ("employers", "goal", "Employers control the conditions that cause job strain."),
            ("public", "goal", "Public understanding creates demand for change."),
        ],
        "interventions": [
            ("Training for workplace health staff with a labor partner", "staff", 0),
            ("Employer toolkit on scheduling and pay", "employers", None),
            ("Talking points for volunteer advocates", "volunteers", 0),
        ],
        "assumptions": [
            ("Employers accept advice on pay and scheduling from a health organization.", "employers"),
        ],
        "narrative_s4": "Trained staff change the association's messages and employer programs.",
        "narrative": "Trained staff change the association's messages and employer programs, and volunteers "
                     "carry the message into their communities. (Draft: indicators still to be agreed.)",
        "objectives": [
            ("By October 31, 2018, train 20 workplace health staff on precarious work and heart health.",
             "staff", None, [
                ("Plan the training with the labor partner", 0, "09-04", "09-28", DONE,
                 "Labor partner's time", "", "", "Program director"),
                ("Deliver the training", 0, "10-09", "10-31", DONE, "Staff meeting", "", "", "Staff"),
                ("Collect feedback", 0, "10-31", "11-09", DONE, "Survey form", "", "", "Team"),
            ]),
            ("By December 14, 2018, add precarious work to two heart-health messages and the employer "
             "toolkit.", "messages", None, [
                ("Draft messages with the communications department", 0, "10-15", "11-16", DOING,
                 "Communications staff", "Review by science staff", "Approval takes several layers",
                 "Communications department"),
                ("Add a page on scheduling and pay to the employer toolkit", 0, "11-01", "12-14", TODO,
                 "Toolkit template", "Legal review", "Employers in the program may object",
                 "Workplace health staff"),
                ("Pilot the message with volunteer advocates", 0, "11-19", "12-14", TODO,
                 "Volunteer meeting", "", "", "Volunteers"),
            ]),
        ],
    },
    "Setting New Standards for Internship Equity": {
        "issue": "The organization replaces unpaid internships with paid ones and persuades other Chicago "
                 "health nonprofits to adopt an internship equity standard.",
        "own": [(6, 5)],
        "actors": [
            ("Board of directors", "d", 9, 2, True, (9, 1)),
            ("Executive director", "d", 8, 4, True, None),
            ("Internship equity committee", "o", 5, 5, False, None),
            ("Program managers who supervise interns", "p", 4, 1, False, (4, -1)),
            ("Foundation funders", "o", 8, 2, True, None),
            ("Other health policy nonprofits", "o", 6, -1, False, None),
            ("University career offices", "o", 4, 3, False, None),
            ("Current and former interns", "p", 2, 5, False, None),
            ("Prairie State Labor Federation", "o", 4, 4, False, NEW),
        ],
        "links": [
            ("Internship equity committee", "member_of", 0, 3, None),
            ("Internship equity committee", "influences", "Executive director", 3, None),
            ("Executive director", "influences", "Board of directors", 3, None),
            ("Foundation funders", "influences", "Board of directors", 2, None),
            ("Current and former interns", "influences", "Internship equity committee", 2, None),
            ("University career offices", "allied", 0, 1, None),
            (0, "influences", "Other health policy nonprofits", 1, None),
            ("Prairie State Labor Federation", "allied", "Internship equity committee", 1, NEW),
        ],
        "goal": "Internships in Chicago's health field are paid and open to students of every background",
        "outcomes": [
            ("budget", "The board approves a budget line for paid internships", True,
             ("Budget line approved", "Board", "1", "1", "2018-09-30", "Board minutes"), None),
            ("paid", "All of the organization's internships are paid", True,
             ("Interns paid at least the city minimum wage", "Three cohorts of three interns a year",
              "9 of 9", "9", "2018-12-31", "Payroll"), None),
            ("recruit", "Recruitment reaches students from under-represented communities", True,
             ("Applicants from partner colleges and community programs", "Internship applicants", "50%",
              "40%", "2018-12-31", "Application records"), None),
            ("standard", "A written internship equity standard is published", True,
             ("Standard published", "Health nonprofits in Chicago", "1", "1", "2018-12-14", "Website"),
             NEW),
            ("peers", "Other health nonprofits adopt the standard", False, None, None),
        ],
        "outcome_links": [
            ("budget", "paid", "Paying interns needs a budget line, not goodwill."),
            ("paid", "recruit", "Paid internships are open to students who must earn while they learn."),
            ("recruit", "goal", "A diverse pool of interns becomes a diverse workforce."),
            ("paid", "standard", "Our own practice shows the standard can be met."),
            ("standard", "peers", "A written standard makes adoption simple."),
            ("peers", "goal", "The standard spreads beyond one organization."),
        ],
        "interventions": [
            ("Internship equity committee's budget proposal", "budget", 0),
            ("Recruitment through community colleges and community programs", "recruit", 0),
            ("Internship equity standard and toolkit", "standard", 0),
            ("Peer briefings for health nonprofits", "peers", 0),
        ],
        "assumptions": [
            ("Funders accept intern pay as a program cost.", "budget"),
            ("Peer organizations can find the money once the case is made.", "peers"),
        ],
        "narrative_s4": "A budget line lets the organization pay all its interns, which opens internships to "
                        "students who must earn while they learn.",
        "narrative": "A budget line lets the organization pay all its interns, which opens internships to "
                     "students who must earn while they learn; a published standard then carries the "
                     "practice to other health nonprofits.",
        "objectives": [
            ("By September 30, 2018, the board approves a budget line that pays three cohorts of three "
             "interns a year.", "budget", None, [
                ("Cost paid internships at the city minimum wage", 0, "07-30", "08-17", DONE, "Finance staff",
                 "", "", "Committee"),
                ("Present the proposal to the board", 0, "09-18", "09-18", DONE,
                 "Executive director's support", "", "Board members worry about the budget", "Board"),
                ("Ask two foundation funders to cover intern pay", 0, "09-04", "09-28", DONE,
                 "Program officers' interest", "", "Funding cycles", "Funders"),
            ]),
            ("By December 31, 2018, recruit the winter cohort with at least 40% of applicants from partner "
             "colleges and community programs.", "recruit", None, [
                ("Post the internships with partner colleges", 0, "10-01", "10-19", DONE,
                 "Career office contacts", "", "", "Career offices"),
                ("Train supervisors on mentoring paid interns", 0, "10-15", "11-09", DONE,
                 "Committee members", "", "Supervisors' workload", "Program managers"),
                ("Select the winter cohort", 0, "11-12", "12-07", DONE, "Selection panel", "", "",
                 "Applicants"),
            ]),
            ("By December 14, 2018, publish an internship equity standard and brief five peer organizations.",
             "standard", NEW, [
                ("Write the standard with interns and the committee", 0, "10-01", "11-16", DONE,
                 "Committee and interns", "", "", "Staff"),
                ("Publish the standard and toolkit", 0, "11-19", "12-14", DOING, "Website", "Design",
                 "", "Newsletter readers"),
                ("Brief five peer organizations", 0, "12-03", "12-21", TODO, "Contacts", "",
                 "Peers say they cannot afford it", "Peer executive directors"),
            ]),
        ],
    },
    "Stable Employment for Community Health Workers": {
        "issue": "Illinois pays for community health worker services in a way that funds stable, full-time "
                 "jobs with a career ladder, as the state sets up certification.",
        "own": [(6, 5), (5, 4)],
        "actors": [
            ("State community health worker advisory board", "d", 8, 3, True, None),
            ("State Medicaid agency", "d", 9, 0, True, (9, -1)),
            ("Medicaid managed care plans", "o", 8, -2, True, None),
            ("Hospital systems employing community health workers", "o", 7, 1, False, None),
            ("Community health worker association", "o", 4, 5, False, None),
            ("State legislators on the health committees", "d", 8, 1, True, None),
            ("Community colleges with training programs", "o", 4, 3, False, None),
            ("Northwest Side Community Health Worker Network", "o", 3, 5, False, NEW),
        ],
        "links": [
            (0, "member_of", "State community health worker advisory board", 2, None),
            ("State community health worker advisory board", "influences", "State Medicaid agency", 2, None),
            ("State Medicaid agency", "influences", "Medicaid managed care plans", 3, None),
            ("Community health worker association", "allied", 0, 3, None),
            (1, "allied", "Community colleges with training programs", 2, None),
            ("Hospital systems employing community health workers", "influences", "State legislators on the "
             "health committees", 2, None),
            ("Northwest Side Community Health Worker Network", "member_of", "Community health worker "
             "association", 2, NEW),
        ],
        "goal": "Community health workers in Illinois hold stable, fairly paid jobs with a career ladder",
        "outcomes": [
            ("voice", "Community health workers' own voice shapes the certification rules", True,
             ("Listening sessions held with community health workers", "Community health workers statewide",
              "6", "4", "2018-11-30", "Session notes"), None),
            ("evidence", "Decision-makers see evidence on job stability and outcomes", True,
             ("Policy brief delivered to the advisory board", "Advisory board members", "1", "1",
              "2018-12-14", "Board minutes"), None),
            ("ladder", "Training programs offer a career ladder", True,
             ("Programs with a stackable credential", "Community college programs", "3", "2",
              "2018-12-14", "Program catalogs"), NEW),
            ("payment", "Medicaid pays for community health worker services", False, None, None),
            ("contracts", "Employers hire community health workers on permanent contracts", False, None,
             None),
        ],
        "outcome_links": [
            ("voice", "evidence", "Workers' stories make the evidence concrete."),
            ("evidence", "payment", "The agency funds what shows results."),
            ("payment", "contracts", "Steady payment replaces grant-to-grant funding."),
            ("contracts", "goal", "Permanent contracts are stable jobs."),
            ("ladder", "goal", "A ladder makes the job a career."),
        ],
        "interventions": [
            ("Listening sessions across the state", "voice", 0),
            ("Policy brief on payment models", "evidence", 1),
            ("Stackable credential with community colleges", "ladder", 1),
        ],
        "assumptions": [
            ("The state keeps certification voluntary and affordable.", "voice"),
            ("Managed care plans follow the agency's lead.", "payment"),
        ],
        "narrative_s4": "Community health workers' voice and good evidence lead the state to pay for their "
                        "services, so employers can hire them on permanent contracts.",
        "narrative": "Community health workers' voice and good evidence lead the state to pay for their "
                     "services, so employers can hire them on permanent contracts; a stackable credential "
                     "turns the job into a career.",
        "objectives": [
            ("By November 30, 2018, hold four listening sessions with community health workers in different "
             "regions.", "voice", None, [
                ("Plan sessions with the community health worker association", 0, "09-04", "09-21", DONE,
                 "Association contacts", "", "", "Association members"),
                ("Hold sessions in Chicago, Springfield, Peoria and Carbondale", 0, "09-24", "11-30", DONE,
                 "Host organizations", "Travel", "Workers cannot leave work", "Participants"),
                ("Summarise what workers said", 1, "11-01", "11-30", DONE, "Graduate students", "", "",
                 "Advisory board"),
            ]),
            ("By December 14, 2018, deliver a policy brief on payment models to the advisory board.",
             "evidence", None, [
                ("Review payment models in other states", 1, "09-17", "10-26", DONE, "Faculty time", "", "",
                 "Team"),
                ("Draft the brief", 1, "10-29", "11-23", DOING, "Listening-session findings", "Editing", "",
                 "Team"),
                ("Present to the advisory board", 0, "12-14", "12-14", TODO, "A board agenda slot", "",
                 "The board meets quarterly", "Board members"),
            ]),
            ("By December 14, 2018, agree a stackable credential with two community colleges.", "ladder",
             NEW, [
                ("Map existing training programs", 1, "10-15", "11-09", DONE, "Catalogs", "", "", "Team"),
                ("Meet program deans", 1, "11-12", "12-14", BLOCKED, "Faculty contacts", "",
                 "Deans are waiting for the state's certification rules", "Deans"),
                ("Ask community health workers which credentials they value", 0, "11-12", "12-07", DONE,
                 "Listening-session contacts", "", "", "Association members"),
            ]),
        ],
    },
}
# fmt: on


def _date(value: str) -> date:
    return date.fromisoformat(value if len(value) > 5 else f"2018-{value}")


def _status_on(step: tuple, moment: date) -> str:
    """A step's status on a past day: done if it was due by then and is done now, in progress if it
    had started, else not started."""
    _what, _who, start, due, final = step[:5]
    if final == DONE and _date(due) <= moment:
        return DONE
    return StepStatus.IN_PROGRESS if _date(start) <= moment else StepStatus.NOT_STARTED


class _Builder:
    """Writes one team's artifacts stage by stage (after session 4, after session 6, the fall)."""

    def __init__(self, team: Team, plan: dict[str, Any], by: User | None) -> None:
        self.team, self.plan, self.by = team, plan, by
        self.organizations = [m.organization for m in team.memberships.select_related("organization")
                              .order_by("-role", "pk")]  # fmt: skip
        lead_first = sorted(self.organizations, key=lambda o: o.pk != self._lead_pk())
        self.organizations = lead_first
        self.people = {
            entry.organization_id: entry.person
            for entry in team.people.filter(person__isnull=False).select_related("person").order_by("-id")
        }
        self.registry = {
            o.name: o
            for o in Organization.objects.filter(
                name__in=[a[0] for a in plan["actors"]], merged_into__isnull=True
            )
        }
        self.writes = {"map": 1, "theory": 1, "plan": 1}
        self.actors: dict[str, Actor] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.objectives: dict[str, Objective] = {}

    def _lead_pk(self) -> int | None:
        lead = self.team.memberships.filter(role="lead").values_list("organization_id", flat=True).first()
        return lead

    def organization(self, position: int | None) -> Organization | None:
        if position is None or position >= len(self.organizations):
            return None
        return self.organizations[position]

    def actor_name(self, ref: int | str) -> str:
        return self.organizations[ref].name if isinstance(ref, int) else ref

    # --- Stage writes ------------------------------------------------------------------------

    def build(self, *, stage: int) -> None:
        """Stage 4: what the team had after session 4. Stage 6: the changes up to session 6."""
        self._power_map(stage)
        self._theory(stage)
        self._plan(stage)

    def _power_map(self, stage: int) -> None:
        plan = self.plan
        power_map, _created = PowerMap.objects.get_or_create(
            team=self.team, defaults={"issue": plan["issue"]}
        )
        self.power_map = power_map
        if stage == 4:
            for organization, (power, stance) in zip(self.organizations, plan["own"], strict=False):
                self._add_actor(organization.name, ActorKind.ORGANIZATION, power, stance, False, organization)
        for name, kind, power, stance, is_target, earlier in plan["actors"]:
            if stage == 4 and earlier != NEW:
                before = earlier if isinstance(earlier, tuple) else (power, stance)
                self._add_actor(name, KINDS[kind], *before, is_target, self.registry.get(name))
            elif stage == 6 and earlier == NEW:
                self._add_actor(name, KINDS[kind], power, stance, is_target, self.registry.get(name))
            elif stage == 6 and isinstance(earlier, tuple):
                Actor.objects.filter(pk=self.actors[name].pk).update(
                    power=Decimal(power), stance=Decimal(stance)
                )
                self.writes["map"] += 1
        for source, kind, target, strength, added in plan["links"]:
            if (added == NEW) == (stage == 6):
                ActorLink.objects.create(
                    power_map=power_map, source=self.actors[self.actor_name(source)],
                    target=self.actors[self.actor_name(target)], kind=kind, strength=strength,
                )  # fmt: skip
                self.writes["map"] += 1

    def _add_actor(self, name: str, kind: str, power, stance, is_target: bool, organization) -> None:
        self.actors[name] = Actor.objects.create(
            power_map=self.power_map, name=name, kind=kind, power=Decimal(power), stance=Decimal(stance),
            is_target=is_target, organization=organization,
        )  # fmt: skip
        self.writes["map"] += 1

    def _theory(self, stage: int) -> None:
        plan = self.plan
        narrative = plan["narrative_s4"] if stage == 4 else plan["narrative"]
        theory, created = TheoryOfChange.objects.get_or_create(
            team=self.team, defaults={"narrative": narrative}
        )
        self.theory = theory
        if not created and theory.narrative != narrative:
            TheoryOfChange.objects.filter(pk=theory.pk).update(narrative=narrative)
            self.writes["theory"] += 1
        if stage == 4:
            self.outcomes["goal"] = Outcome.objects.create(
                theory=theory, title=plan["goal"], is_goal=True, is_below_ceiling=False
            )
        added: set[str] = set()
        for key, title, below, indicator, new in plan["outcomes"]:
            if (new == NEW) != (stage == 6):
                continue
            added.add(key)
            outcome = Outcome.objects.create(theory=theory, title=title, is_below_ceiling=below)
            self.outcomes[key] = outcome
            if indicator:
                what, population, target, threshold, by_when, source = indicator
                Indicator.objects.create(
                    outcome=outcome, what=what, population=population, target=target, threshold=threshold,
                    by_when=_date(by_when) if by_when else None, data_source=source,
                )  # fmt: skip
            self.writes["theory"] += 1 + bool(indicator)
        for precondition, outcome, rationale in plan["outcome_links"]:
            is_new = bool({precondition, outcome} & self._new_outcomes())
            if is_new == (stage == 6):
                OutcomeLink.objects.create(
                    theory=theory, precondition=self.outcomes[precondition], outcome=self.outcomes[outcome],
                    rationale=rationale,
                )  # fmt: skip
                self.writes["theory"] += 1
        for title, key, position in plan["interventions"]:
            if (key in self._new_outcomes()) == (stage == 6):
                Intervention.objects.create(
                    theory=theory, title=title, outcome=self.outcomes[key],
                    responsible_organization=self.organization(position),
                )  # fmt: skip
                self.writes["theory"] += 1
        for text, key in plan["assumptions"]:
            if (key in self._new_outcomes()) == (stage == 6):
                Assumption.objects.create(theory=theory, text=text, outcome=self.outcomes[key])
                self.writes["theory"] += 1

    def _new_outcomes(self) -> set[str]:
        return {row[0] for row in self.plan["outcomes"] if row[4] == NEW}

    def _plan(self, stage: int) -> None:
        action_plan, _created = ActionPlan.objects.get_or_create(team=self.team)
        self.action_plan = action_plan
        moment = SNAPSHOT_DAYS[stage]
        for position, (text, key, new, steps) in enumerate(self.plan["objectives"]):
            if (new == NEW) == (stage == 6):
                objective = Objective.objects.create(
                    plan=action_plan, text=text, outcome=self.outcomes[key], position=position
                )
                self.objectives[text] = objective
                self.writes["plan"] += 1
                for index, step in enumerate(steps):
                    self._add_step(objective, index, step, _status_on(step, moment))
            elif stage == 6:
                self._set_statuses(self.objectives[text], steps, moment)

    def _add_step(self, objective: Objective, index: int, step: tuple, status: str) -> None:
        what, who, start, due, _final, available, needed, barriers, communication = step
        organization = self.organization(who)
        person = self.people.get(organization.pk) if organization is not None and index == 0 else None
        intervention = objective.outcome.interventions.first() if objective.outcome else None
        ActionStep.objects.create(
            objective=objective, what=what, who_person=person, who_organization=organization,
            start_date=_date(start), due_date=_date(due), resources_available=available,
            resources_needed=needed, barriers=barriers, communication=communication, status=status,
            outcome=objective.outcome, intervention=intervention, position=index,
        )  # fmt: skip
        self.writes["plan"] += 1

    def _set_statuses(self, objective: Objective, steps: list[tuple], moment: date) -> None:
        for index, step in enumerate(steps):
            status = _status_on(step, moment) if moment else step[4]
            changed = ActionStep.objects.filter(objective=objective, position=index).exclude(status=status)
            self.writes["plan"] += changed.update(status=status)

    def progress(self) -> None:
        """The fall implementation: each step at its status today."""
        for text, _key, _new, steps in self.plan["objectives"]:
            self._set_statuses(self.objectives[text], steps, None)

    def set_versions(self) -> None:
        for model, artifact, key in (
            (PowerMap, self.power_map, "map"), (TheoryOfChange, self.theory, "theory"),
            (ActionPlan, self.action_plan, "plan"),
        ):  # fmt: skip
            model.objects.filter(pk=artifact.pk).update(version=self.writes[key], updated_by=self.by)


SNAPSHOT_DAYS: dict[int, date] = {
    number: collaborative_demo.session_times(number)[0].date() for number in SNAPSHOT_SESSIONS
}


def _definition_draft(data: dict[str, Any]) -> dict[str, Any]:
    """The definition as it stood after session 4: its first sentence, one condition and one
    dimension fewer (the team added them when it revised the definition for its presentation)."""
    first = data["text"].split(". ")[0].rstrip(".") + "."
    return {
        **data,
        "text": first,
        "conditions": data["conditions"][:-1],
        "dimensions": data["dimensions"][:-1],
    }


def _snapshot(team: Team, session: Session | None, stage: int, by: User | None) -> int:
    """Snapshots of the team's four artifacts at `stage`, dated at the end of that session."""
    label = SNAPSHOT_SESSIONS[stage]
    taken = snapshots.take_snapshots(session, [team], label=label, by=by)
    for snapshot in taken:
        if snapshot.kind == ArtifactKind.DEFINITION and stage == 4:
            snapshot.data = _definition_draft(snapshot.data)
            snapshot.version = max(1, team.version - 1)
            snapshot.save(update_fields=["data", "version"])
    ends_at = collaborative_demo.session_times(stage)[1]
    Snapshot.objects.filter(pk__in=[s.pk for s in taken]).update(taken_at=ends_at + timedelta(minutes=30))
    return len(taken)


def _versions_at(builder: _Builder) -> None:
    builder.set_versions()
    for artifact in (builder.power_map, builder.theory, builder.action_plan):
        artifact.refresh_from_db(fields=["version"])


def build_team(team: Team, plan: dict[str, Any], sessions: dict[int, Session], by: User | None) -> int:
    """Build one team's three artifacts in stages with their snapshots; returns the snapshots made."""
    builder = _Builder(team, plan, by)
    builder.build(stage=4)
    _versions_at(builder)
    made = _snapshot(team, sessions.get(4), 4, by)
    builder.build(stage=6)
    _versions_at(builder)
    made += _snapshot(team, sessions.get(6), 6, by)
    builder.progress()
    builder.set_versions()
    return made


def _is_untouched(team: Team) -> bool:
    return not (
        PowerMap.objects.filter(team=team).exists()
        or TheoryOfChange.objects.filter(team=team).exists()
        or ActionPlan.objects.filter(team=team).exists()
        or Snapshot.objects.filter(team=team).exists()
    )


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create each demo team's power map, theory of change and action plan with two snapshots of
    each (after the collaborative's demo data)."""
    cohort = Cohort.objects.filter(name=collaborative_demo.COHORT).first()
    if cohort is None:
        stdout.write(_("Planning: skipped (load the demo collaborative first).\n"))
        return
    by = User.objects.filter(username=accounts_demo.DEMO_USERS[Role.FACILITATOR][0]).first()
    sessions = {session.number: session for session in cohort.sessions.filter(number__in=SNAPSHOT_SESSIONS)}
    teams = {team.name: team for team in cohort.teams.filter(name__in=TEAM_PLANS)}
    built, made = 0, 0
    for title, plan in TEAM_PLANS.items():
        team = teams.get(title)
        if team is None or not _is_untouched(team):
            continue
        made += build_team(team, plan, sessions, by)
        built += 1
    stdout.write(
        _(
            "Planning: power maps, theories of change and action plans for %(teams)d teams (%(new)d new), "
            "%(snapshots)d new snapshots.\n"
        )
        % {"teams": len(teams), "new": built, "snapshots": made}
    )
