"""Word lists for South Asian names, written for narcolink from common knowledge of naming.

Kept as data in one place so that an agency can see (and argue with) what the matcher
treats as a title, an alias or a relation word. Every entry is lower-case romanised ASCII,
as produced by ``scripts.romanise``.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    """A word list written as text (easier to read and review than quoted items)."""
    return text.split()


# Titles and forms of address, dropped before names are compared ("Shri", "Smt.", "Dr",
# "Haji"). Post-nominal honorifics ("ji", "sahab") are dropped too.
HONORIFICS = frozenset(
    _words(
        """
        mr mrs ms miss mister master dr doctor prof professor sir madam shri sri shree
        shrimati srimati smt sh kumari km kum sushri su late lt sardar sardarni haji hajji
        hafiz maulana maulvi moulana mufti janab mohtarma jenab sayyidah begum sahab saheb
        sahib ji jee adv advocate er engr ca capt col maj gen sgt insp inspector const
        constable hon thiru thirumathi selvi tmt pandit pt swami sant baba bibi-ji
        mian
    """
    )
)

# Words that are titles only in front of a name ("Begum Nusrat") but may be names
# elsewhere ("Nusrat Begum" is a name, "Kumar" a common second name).
LEADING_ONLY = frozenset({"begum", "sardar", "sardarni", "kumari", "mian", "baba"})

# Relation markers: what follows is the father's (s/o, d/o), husband's (w/o) or a care-of
# name; "r/o" (resident of) starts an address.
RELATION_MARKERS = {
    "s/o": "father",
    "d/o": "father",
    "son of": "father",
    "daughter of": "father",
    "w/o": "spouse",
    "wife of": "spouse",
    "h/o": "spouse",
    "husband of": "spouse",
    "c/o": "care_of",
    "care of": "care_of",
    "r/o": "address",
    "resident of": "address",
    "bin": "father",
    "binti": "father",
    "bint": "father",
    "ibn": "father",
    "walad": "father",
    "putra": "father",
    "putri": "father",
    "suputra": "father",
    "suputri": "father",
    "patni": "spouse",
    "pati": "spouse",
    "puttar": "father",
    "pattar": "father",
    "putar": "father",
    "dukhtar": "father",
    "zauja": "spouse",
}

# What clerks write where a name is unknown: treated as no name at all.
PLACEHOLDERS = frozenset(
    _words(
        """
        unknown unk na nil none null notknown noname anonymous xxx xx x baby child infant
        son daughter respondent gentleman gentleman lady person household resident parent
        oldest youngest occupant someone test dummy
        """
    )
)
PLACEHOLDER_PHRASES = frozenset({"no name", "not known", "of house", "name not known"})

# Spelling families: every variant maps to one canonical spelling. Abbreviations used in
# Indian records ("Mohd", "Md", "Kr", "Pd") are expanded here.
ALIASES: dict[str, str] = {}


def _family(canonical: str, variants: str) -> None:
    for variant in variants.split():
        ALIASES[variant] = canonical
    ALIASES[canonical] = canonical


_family(
    "muhammad",
    "mohd mohd. md mhd muhd mohamad mohamed mohammad mohammed mohamad muhamad muhammed "
    "muhammet mohammod mohummad mahomed mahammad mohmmad mohmad mahommed muhmmad mohamood",
)
_family("ahmad", "ahmed ahamed ahamad ehmad")
_family("hussain", "husain hussein husein hossain hossein husen hussan")
_family("hasan", "hassan hasen")
_family("shaikh", "sheikh shaik sheik shekh sk shaik")
_family("syed", "sayed sayyed sayyid saiyed saiyid sayeed")
_family("abdul", "abd abdool abdol abdu")
_family("rahman", "rehman rahaman rehaman")
_family("rahim", "rahim raheem rehim")
_family("kumar", "kr kr. kumaar kumer")
_family("prasad", "pd prashad prasaad parshad")
_family(
    "chaudhary",
    "chaudhri chaudhari chaudhuri choudhary choudhury chowdhury chowdhary chaudhry "
    "chodhary choudhari",
)
_family("srivastava", "shrivastava srivastav shrivastav")
_family("agarwal", "agrawal aggarwal agarwala")
_family("singh", "sinh sing")
_family("lakshmi", "laxmi luxmi lakshmee")
_family("krishna", "krishan kishan krishn")
_family("mohan", "mohun")
_family("jyoti", "jyothi joti")
_family("vijay", "vijai")
_family("sanjay", "sanjai")
_family("ajay", "ajai")
_family("mukherjee", "mukherji mukerji mukharji mukhopadhyay")
_family("banerjee", "banerji bannerjee bandyopadhyay")
_family("chatterjee", "chatterji chattopadhyay")
_family("iqbal", "ikbal iqbaal")
_family("farooq", "faruq farook farukh farooque faruk")
_family("yusuf", "yousuf yousaf yusef yousef")
_family("ibrahim", "ebrahim ibraheem")
_family("qureshi", "kureshi qureishi quraishi")
_family("siddiqui", "siddiqi siddiki sidiqui siddique")
_family("ansari", "ansary")
_family("gurpreet", "gurprit")
_family("harpreet", "harprit")
_family("manpreet", "manprit")
_family("kaur", "kour")
_family("devi", "debi")

# Romanised spellings that stand for one name (used on names written in Arabic script,
# which omits most vowels): the consonant skeleton "md" is read as "muhammad".
SKELETON_PREFERRED = {"md": "muhammad", "l": "ali", "kn": "khan", "hmd": "ahmad"}

# Very common name words: they are compared like any other word, but a match on them
# alone is weak evidence (term-frequency adjustment does the rest).
COMMON_WORDS = frozenset(
    _words(
        """
        kumar singh kaur khan devi bibi begum lal chand ram prasad bai ben bhai nath das
        muhammad ahmad ali sharma shaikh syed bano khatoon khatun rani
    """
    )
)

# Common South Asian given names in their canonical spelling. Two different names that
# are both in this list are different names, not a typing error ("Rajesh" vs "Rakesh").
GIVEN_NAMES = frozenset(
    _words(
        """
        aarav abhay abhishek aditi aditya ajay ajit akash akbar akhil akshay alok aman amar
        amarjit amir amit amitabh amrit amrita anand anil anita anjali ankit ankur anuj
        anupam anuradha anwar arjun arun aruna arvind asha ashok ashraf asif aslam atul
        ayesha azhar aziz babita baldev balwinder bharat bhupinder chandan chandra chetan
        deepak deepika dev devendra dharmendra dilip dinesh divya farhan farida farooq
        fatima ganesh gaurav geeta girish gopal govind gurdeep gurmeet gurpreet hamid hari
        harish harjit harpreet harsh hemant imran inderjit indira iqbal irfan ishaan jagdish
        jaswant jaswinder javed jitendra jyoti kabir kamal kamala kapil karan kavita khalid
        kiran kishore krishna kuldeep kunal lakshmi lalit madhu mahesh mahendra manish manju
        manoj manpreet meena mehmood mina mohan mohit mukesh murali mustafa nadeem naresh
        naveen navjot neeraj neha nikhil nirmala nisha nitin pankaj parveen pawan pooja
        pradeep prakash pramod pranav prashant praveen preeti priya priyanka rafiq rahul raj
        rajan rajeev rajendra rajesh rajinder rajiv raju rakesh ram raman ramesh rana ranjit
        rashid ravi ravinder rekha ritu rohan rohit sachin sahil sajid salim salman sameer
        sandeep sangeeta sanjay sanjeev santosh sarita satish satnam seema shabana shahid
        shakeel shankar shanti sharad shashi shekhar shiv shivam shweta simran sonia subhash
        sudhir sukhdev sukhwinder sumit sunil sunita suraj surender suresh surinder sushil
        tahir tanvir tariq tarun uday umesh usha varun vijay vikas vikram vinay vinod vipin
        virender vishal vivek wasim yash yogesh yusuf zahid zakir zubair muhammad ahmad ali
        hasan hussain abdul rahman rahim ibrahim salma nasreen rubina kiranjit gurinder
        jasbir jasvinder mandeep harvinder kulwant paramjit sarabjit
    """
    )
)

# Common surnames; used to tell "Sharma Rajesh" (surname first) from "Rajesh Sharma".
SURNAMES = frozenset(
    _words(
        """
        sharma verma varma gupta singh kumar khan kaur yadav patel shah mehta jain agarwal
        bansal goyal mittal garg joshi mishra pandey tiwari dubey dwivedi trivedi shukla
        chaudhary reddy rao naidu nair menon pillai iyer iyengar das dutta ghosh bose sen
        banerjee mukherjee chatterjee roy saha malik qureshi siddiqui ansari shaikh syed
        pathan mirza baig rizvi naqvi hashmi chauhan rathore thakur rajput bhatt bhat kapoor
        khanna malhotra arora sethi bedi gill sandhu sidhu dhillon grewal brar randhawa
        bajwa cheema virk sodhi ahluwalia saini kohli anand chopra bhatia tandon sinha
        srivastava saxena nigam mathur tripathi pathak upadhyay ojha rawat negi bisht chand
        lal prasad nath ram devi bibi begum
    """
    )
)
