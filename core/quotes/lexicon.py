"""Words the attribution rules know: reporting verbs, titles, pronouns, group and role nouns."""
import re

_SAY_STEMS = """
say said says saying tell told tells telling add added adds adding explain explained explains explaining
warn warned warns warning insist insisted insists insisting write wrote writes writing allege alleged alleges
alleging claim claimed claims claiming state stated states stating declare declared declares declaring
announce announced announces announcing ask asked asks asking answer answered answers answering reply replied
replies replying respond responded responds responding note noted notes noting argue argued argues arguing
acknowledge acknowledged acknowledges acknowledging admit admitted admits admitting recall recalled recalls
recalling continue continued continues continuing conclude concluded concludes concluding suggest suggested
suggests suggesting agree agreed agrees agreeing observe observed observes observing remark remarked remarks
remarking report reported reports reporting tweet tweeted tweets tweeting post posted posts posting joke joked
jokes joking quip quipped quips quipping sigh sighed sighs sighing shout shouted shouts shouting cry cried cries
crying scream screamed screams screaming yell yelled yells yelling exclaim exclaimed exclaims murmur murmured whisper whispered mutter muttered
complain complained complains complaining boast boasted boasts boasting predict predicted predicts predicting
promise promised promises promising vow vowed vows vowing pledge pledged pledges pledging urge urged urges urging
caution cautioned cautions cautioning stress stressed stresses stressing emphasise emphasised emphasize emphasized
emphasizes emphasising emphasizing point pointed points pointing confirm confirmed confirms confirming deny denied
denies denying concede conceded concedes conceding contend contended contends contending maintain maintained
maintains maintaining assert asserted asserts asserting reveal revealed reveals revealing describe described
describes describing call called calls calling dub dubbed dubs dubbing brand branded brands branding label labelled
labeled labels labelling labeling term termed terms hail hailed hails hailing blast blasted blasts blasting slam
slammed slams slamming criticise criticised criticize criticized accuse accused accuses accusing charge charged
tout touted touts touting praise praised praises praising mock mocked mocks mocking quote quoted quotes quoting
testify testified testifies testifying reason reasoned reasons reasoning wonder wondered wonders wondering
inform informed informs informing assure assured assures assuring reiterate reiterated reiterates reiterating
repeat repeated repeats repeating lament lamented laments lamenting threaten threatened threatens threatening
sing sang sings singing read reads chant chanted chants chanting add insist
condemn condemns condemned condemning slams slammed slamming blasts blasted blasting criticises criticized
criticised criticizes criticising criticizing hailed praised vowed pledged promised urged warned accused branded
labelled labeled decried decries lambasted lambasts denounced denounces welcomed welcomes
interject interjects interjected interrupt interrupts interrupted counter counters countered retort retorts
retorted rejoin rejoins rejoined demand demands demanded query queried probe probed persist persisted continue continued pressed recounted
recount recounts explain elaborated elaborates conceded concede shouted replied
indicate indicated indicates indicating signal signalled signaled signals hint hinted hints hinting
laugh laughs laughed laughing smile smiles smiled grin grins grinned shrug shrugs shrugged chuckle chuckles
chuckled muse muses mused beam beams beamed gush gushed gushes enthuse enthused enthuses snap snapped snaps
bark barks barked scoff scoffs scoffed remember remembers remembered exhort exhorts exhorted react reacts reacted
retaliate retaliates retaliated fume fumes fumed marvel marvels marveled marvelled grouse groused grumble grumbles
grumbled rant rants ranted bristle bristled protest protests protested plead pleads pleaded brag brags bragged
bellow bellows bellowed thunder thunders thundered holler hollered questioned
proclaim proclaims proclaimed proclaiming confide confides confided confiding
""".split()
# Bare nouns/verbs that are too ambiguous on their own ("points", "states", "calls", "terms", "charge").
_AMBIGUOUS = {"point", "points", "pointing", "state", "states", "stating", "call", "calls", "term", "terms", "charge",
              "charged", "reason", "reasons", "reasoning", "quote", "quotes", "post", "posts", "cry", "cries", "report",
              "reports", "continue", "continues", "continuing", "answer", "answers", "blast", "tout", "accuse",
              "accused", "praise", "praised", "praising", "criticised", "criticized", "mock", "mocked", "labels", "counter",
              "query", "probe", "persist", "interrupt", "remark",
              "brands", "dubs", "hail", "hails", "wonder", "wonders", "concluding", "repeat", "repeated", "repeats",
              "charge", "inform", "stress", "stresses", "stressing", "remarks", "notes", "claims", "promises", "vows",
              "pledges", "warning", "reply", "cried", "suggest", "agree", "predict", "promise", "vow", "pledge", "urge"}
# Verbs of judgement attribute the words quoted with them ("condemned the 'deplorable thuggery'").
_JUDGING = frozenset("condemned criticised criticized slammed blasted hailed praised vowed pledged promised urged "
                     "accused branded labelled labeled decried lambasted denounced welcomed highlighted thanked".split())
REPORTING_VERBS = (frozenset(_SAY_STEMS) - _AMBIGUOUS) | _JUDGING
# -ing forms that report words only as a progressive verb, after "is", "was" (a running story's
# "Cruz is praising Bush as '...'", "Trump is questioning whether ... '...'"), never alone
# ("a praising review", "after questioning")
PROGRESSIVE_REPORTING = frozenset("praising questioning deriding dismissing ridiculing lauding characterizing "
                                  "characterising".split())
# Verbs that name rather than report: a quotation after them is a label unless a speaker is given.
NAMING_VERBS = frozenset("call called calls calling dub dubbed dubs dubbing brand branded label labelled labeled "
                         "term termed describe described describes describing nickname nicknamed".split())
PARTICIPLES = frozenset(w for w in _SAY_STEMS if w.endswith("ing")) - _AMBIGUOUS | {"saying", "adding", "noting",
                                                                                    "warning", "writing"}
AUXILIARIES = frozenset("has have had also later then previously once repeatedly recently earlier again "
                        "would will could might may must did does do is was were are be been has since "
                        "further publicly privately simply just only even finally initially subsequently "
                        "separately reportedly allegedly apparently quickly bluntly flatly angrily calmly "
                        "frankly clearly often always never sometimes usually can should shall told".split()) - {"told"}
PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "organization", "i": "person", "we": "group",
            "him": "person", "her": "person", "them": "group"}
# Words of a title that are no honorific by themselves: "Chief Executive", "Head (of Operations)",
# "Chief Financial Officer" -- with HONORIFICS and ROLE_NOUNS, what a title before "of <body>" holds
TITLE_WORDS_EXTRA = frozenset("executive officer general public affairs operating financial head".split())
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame lord lady prof professor rev reverend fr father sister brother "
                       "sen senator rep representative gov governor pres president vice premier chancellor minister "
                       "secretary judge justice gen general col colonel capt captain lt lieutenant sgt sergeant maj "
                       "major adm admiral cmdr commander officer det detective chief coach mayor king queen prince "
                       "princess pope speaker leader ambassador director ceo chairman chairwoman chair commissioner "
                       "attorney deputy assistant state foreign defence defense health home finance interior prime "
                       "first lady gentleman mp mep congressman congresswoman councillor councilman councilwoman "
                       "inspector superintendent constable cllr coun del amb supt insp det cpl pvt msgr hon atty sec pc dci di supt sheriff trooper pastor rabbi imam bishop "
                       "archbishop cardinal dean provost chancellor professor doctor nurse agent manager boss "
                       "striker midfielder defender goalkeeper keeper winger star skipper captain engineer architect "
                       "teacher farmer chef lawyer solicitor barrister economist analyst scientist researcher "
                       "historian author novelist poet singer actor actress comedian presenter host anchor "
                       "reporter journalist editor photographer designer founder owner executive "
                       "editor-in-chief co-founder chairperson spokesman spokeswoman spokesperson "
                       # descriptions a story writes before a private person's name ("Resident Gareth Pugh")
                       "resident shopkeeper witness eyewitness neighbour neighbor volunteer protester survivor "
                       "pensioner student pupil mum dad grandmother grandfather driver passenger worker campaigner "
                       "activist parent customer victim landlord landlady businessman businesswoman entrepreneur "
                       "trader pilot firefighter paramedic surgeon midwife carer veteran soldier".split())
ORG_WORDS = frozenset("police department ministry agency office council committee commission party company corp "
                      "corporation inc ltd llc plc group university institute center centre bank association union "
                      "court government kremlin pentagon fbi cia nhs nasa un nato eu who administration campaign "
                      "authority authorities service services board foundation fund network news times post journal "
                      "league club team federation organisation organization army navy force forces embassy "
                      "parliament congress senate house assembly statement readout report website spokesperson "
                      "spokesman spokeswoman newspaper magazine channel studio studios media tribunal airways airlines "
                      "airline express motors systems technologies labs partners holdings capital energy airport "
                      "hospital school college church museum station club inc. ltd. corp. co. llp society trust "
                      "institution agency bureau directorate secretariat coalition alliance covenant charity "
                      "project program programme initiative council city united fc rovers athletic wanderers county "
                      "albion dispatch tribune gazette herald chronicle observer daily weekly telegraph courier "
                      "bulletin review records productions entertainment pictures films music sports security "
                      # places are no speakers either
                      "stadium arena park ground airport station hall centre square street road bridge palace "
                      "castle abbey cathedral tower island islands harbour harbor bay river valley county "
                      "province region state district".split())
# Common nouns that stand for an organisation already named: "the airline said".
ORG_NOUNS = frozenset("company firm airline carrier group club council ministry department agency bank government "
                      "organisation organization charity union party campaign team studio network retailer "
                      "manufacturer insurer lender regulator watchdog authority board commission court "
                      "university school hospital trust website".split())
GROUP_HEADS = frozenset("police officials authorities officers investigators prosecutors analysts experts critics "
                        "residents leaders traders sources witnesses lawmakers legislators economists scientists "
                        "researchers activists protesters demonstrators campaigners doctors nurses teachers workers "
                        "fans players parents students voters members supporters opponents observers diplomats "
                        "organisers organizers executives ministers democrats republicans aides advisers advisors "
                        "sides people family relatives neighbours neighbors friends colleagues staff spokespeople "
                        "firefighters paramedics troops soldiers villagers locals users customers passengers "
                        "insiders bosses chiefs regulators negotiators inspectors rescuers judges".split())
ANONYMOUS_HEADS = frozenset("source sources person official officials executive trader insider aide adviser advisor "
                            "spokesperson spokesman spokeswoman diplomat employee worker analyst resident witness "
                            "person official member staffer individual man woman banker lawyer attorney".split())
ROLE_NOUNS = {"pm": "prime minister", "prime minister": "prime minister", "president": "president",
              "chancellor": "chancellor", "premier": "premier", "minister": "minister", "senator": "senator",
              "governor": "governor", "mayor": "mayor", "secretary": "secretary", "manager": "manager",
              "boss": "manager", "coach": "coach", "judge": "judge", "ceo": "chief executive",
              "chief executive": "chief executive", "first minister": "first minister", "king": "king",
              "queen": "queen", "pope": "pope", "singer": "singer", "actor": "actor", "actress": "actress",
              "star": "star", "striker": "striker", "player": "player", "chairman": "chairman", "founder": "founder",
              "leader": "leader", "justice": "justice", "spokesman": "spokesman", "spokeswoman": "spokeswoman",
              "spokesperson": "spokesperson", "driver": "driver", "doctor": "doctor", "officer": "officer",
              "defendant": "defendant", "victim": "victim", "expert": "expert", "forward": "forward", "midfielder": "midfielder",
              "defender": "defender", "goalkeeper": "goalkeeper", "winger": "winger", "captain": "captain",
              "skipper": "captain", "head coach": "coach", "ambassador": "ambassador", "chancellor": "chancellor",
              "secretary of state": "secretary of state", "foreign secretary": "foreign secretary",
              "home secretary": "home secretary", "health secretary": "health secretary", "senior": "senior",
              "sheriff": "sheriff", "commissioner": "commissioner", "director": "director",
              "prosecutor": "prosecutor", "attorney": "attorney", "professor": "professor",
              "chairwoman": "chairwoman", "chair": "chair", "superintendent": "superintendent",
              "inspector": "inspector", "detective": "detective", "general": "general", "admiral": "admiral",
              "colonel": "colonel", "bishop": "bishop", "archbishop": "archbishop", "principal": "principal",
              "headteacher": "headteacher", "coroner": "coroner", "economist": "economist",
              "analyst": "analyst", "researcher": "researcher", "lawyer": "lawyer", "author": "author",
              # legislators ("the Labour MP said", "the congresswoman added")
              "mp": "mp", "mep": "mep", "msp": "msp", "congressman": "congressman", "congresswoman": "congresswoman",
              "lawmaker": "lawmaker", "councillor": "councillor"}
NOT_NAMES = frozenset("the a an this that these those it its he she they we i you his her their our my your in on at "
                      "for of and but or so as if when while after before because though although monday tuesday "
                      "wednesday thursday friday saturday sunday january february march april may june july august "
                      "september october november december today yesterday tomorrow last next earlier later "
                      "meanwhile however speaking asked according instead still also there here what why how who "
                      "where which both all some many most every each one two three no yes not now then "
                      # a verb opening its sentence ("Said Ellis:", "Adds Maria Lopez,")
                      "said says adds added asks explained explains wrote writes".split()) | frozenset(
    # a question or an imperative opening the sentence ("Didn't Benjamin Franklin quip that ...?",
    # "Don't ever say ..."), in both apostrophes
    w.replace("'", q) for w in "didn't don't doesn't isn't wasn't won't can't couldn't wouldn't shouldn't aren't "
    "weren't hasn't haven't hadn't".split() for q in "'\u2019")
# Words a story writes capitalised before a name, as the sentence opens, that say what the person is
# ("Prosecutor Ann Lee", "Footballer Tom Reed", "Holidaymaker Jo Park") and are never first names
# themselves; a title like HONORIFICS, split from the name and kept as the role.
DESCRIPTOR_TITLES = frozenset("prosecutor coroner headteacher headmaster headmistress footballer cricketer golfer "
                              "boxer jockey cyclist athlete swimmer sprinter rapper influencer youtuber vlogger "
                              "broadcaster newsreader pundit tycoon millionaire heiress socialite builder plumber "
                              "electrician mechanic cleaner dentist pharmacist optician psychologist psychiatrist "
                              "therapist nutritionist dietitian physiotherapist gp consultant medic anaesthetist "
                              "forecaster meteorologist lecturer academic holidaymaker tourist traveller motorist "
                              "pedestrian commuter shopper homeowner tenant villager fisherman angler hiker climber "
                              "mountaineer schoolgirl schoolboy teenager youngster widow widower bride groom fiancee "
                              "fiance grandad granddad gran granny grandma nanna mourner inmate prisoner defendant "
                              "suspect fraudster burglar killer murderer survivor clubber partygoer reveller "
                              "motorcyclist biker diner customer patient mum-to-be dad-to-be mother-to-be".split())
# Moods and states a tabloid writes before a name ("Brave Lisa", "Tearful Tom Reed", "Former Ann Lee"):
# never part of the name.
NAME_ADJECTIVES = frozenset("brave tragic heartbroken devastated distraught furious fuming livid tearful emotional "
                            "defiant grieving bereaved proud delighted overjoyed elated thrilled horrified shocked "
                            "stunned terrified frightened angry beaming smiling glowing smitten glamorous bubbly "
                            "cheeky former disgraced troubled jailed convicted shamed heroic pregnant expectant "
                            "newlywed retired injured wounded stricken".split())
# A name's first word that is an opener, never a name ("Since Ann Lee took over", "Unlike Tom Reed").
OPENER_WORDS = frozenset("since unlike like despite amid amidst without within upon throughout beyond following "
                         "regarding concerning thus hence therefore accordingly indeed perhaps maybe often "
                         "sometimes usually ultimately effectively overall nevertheless nonetheless otherwise "
                         "moreover furthermore additionally".split())
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())



def _class_of(letters) -> str:
    """Letters written as the ranges of a regular expression's class ("A-ZÀ-Ö..."): the same set,
    which the compiler reads far faster than hundreds of single letters (start-up compiles dozens
    of patterns holding several of these classes each)."""
    runs: list[list[int]] = []
    for code in sorted(set(map(ord, letters))):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in runs)


_UPPER_LETTERS = [c for c in map(chr, range(0x41, 0x2B0)) if c.isupper()]
_LOWER_LETTERS = [c for c in map(chr, range(0x61, 0x2B0)) if c.islower()]
UPPER = _class_of(_UPPER_LETTERS)
LETTERS = _class_of(_UPPER_LETTERS + _LOWER_LETTERS)
# A capitalised word: "Šakalienė", "O'Brien", "Jean-Luc", "U.S.", "Mr.", an initial "J." -- but never a
# word with the full stop that ends its sentence ("...Mr Putin. Sir Keir...").
# (The capital is tested once, then what follows it: the class of capitals is long, and this
# pattern sits twice in every name pattern the engine compiles at start-up.)
CAP_WORD = (r"(?:(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Prof|Rev|Capt|Mt|Ft|Del|Amb|Supt|Insp|Det|Cpl|"
            r"Pvt|Adm|Maj|Cmdr|Msgr|Fr|Hon|Atty|Sec|Pres|Cllr|Coun|Supt|Insp)\."      # a title: "Mr.", "Sen."
            rf"|[{UPPER}](?:\.(?:[{UPPER}]\.)+"        # capitals with stops: "U.S.", "J.F.K."
            rf"|\.(?=\s+[{UPPER}])"                    # an initial before a name: "J. Smith"
            rf"|[{LETTERS}'\u2019\-]*[{LETTERS}]"       # a word: "O'Brien", "Jean-Luc"
            rf"|))")                                   # a capital alone
# Lowercase particles inside a name ("van", "de la"): one list for the name pattern and for checks of a name's words
NAME_PARTICLES = ("de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "bin", "al", "el", "y", "del", "dos",
                  "das", "ter", "ten", "st.")
NAME_PARTICLE = "(?:" + "|".join(re.escape(word) for word in NAME_PARTICLES) + ")"
# (up to two particles between capitalised words: "Ursula von der Leyen", "Oscar de la Hoya")
NAME_SEQ = rf"{CAP_WORD}(?:\s+(?:{NAME_PARTICLE}\s+){{0,2}}{CAP_WORD})*"
NAME_RE = re.compile(rf"(?=[{UPPER}]){NAME_SEQ}")     # the lookahead fails fast on lowercase text

# Lowercase words that may stand between an organisation and a name ("MSNBC host Chris Matthews").
NOT_ROLE_WORDS = frozenset("that the a an on in at of to with by for and or but as his her their its this these those "
                           "said says told added asked who which when while if because than then also is was were are "
                           "be been has have had will would not no from about into over after before during like "
                           "near under among via per than since through within without one two three four five "
                           "some many several another any every each both all".split())
PREPOSITIONS = frozenset("in on at during after before for with from by under over through since until into "
                         "according among across behind despite following".split())

# The states of the US, written after a town ("Ames, Iowa,"): a region, never who speaks.
US_STATES = ("Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
             "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota "
             "Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah "
             "Vermont Virginia Washington Wisconsin Wyoming").split() + [
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "South Carolina",
    "South Dakota", "West Virginia", "Rhode Island", "Puerto Rico"]
US_STATES_RE = "|".join(sorted(US_STATES, key=len, reverse=True))

# Nouns that end a description written before a name ("Democratic presidential candidate Ann Lee",
# "Band member Flea"), besides the titles (HONORIFICS) and roles (ROLE_NOUNS).
DESCRIPTION_HEADS = frozenset("candidate nominee front-runner frontrunner hopeful rival challenger contender member "
                              "delegate operative strategist pollster adviser advisor aide commentator columnist donor "
                              "billionaire mogul lawmaker legislator official staffer organizer organiser blogger "
                              "writer critic supporter opponent ally head consultant lobbyist incumbent challenger "
                              "republican democrat independent conservative liberal progressive moderate "
                              "commissioner representative spokesperson fellow scholar expert professor "
                              "officer official leader advocate voter attendee friend wife husband son daughter "
                              "mother father brother sister colleague neighbor neighbour partner cousin".split())
