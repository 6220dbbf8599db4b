"""Question detection (does this message need an answer?) and intent, in French and English.

A question mark is the strongest cue but people skip it ("vous ouvrez a quelle heure demain") and
use it rhetorically ("sérieux ?"), so we also read how the sentence starts (interrogative words,
inversion "pouvez-vous", "est-ce que", "do you", "can I"), requests for information ("je
voudrais savoir", "quelqu'un sait", "any idea") and discard a lone "?" on an exclamation or a
laugh.
"""

from __future__ import annotations

import re

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)

_FR_START = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut|hello|coucou|svp|s'il vous pla[iî]t|excusez[- ]moi|madame|monsieur|"
    r"@\w+)[\s,!.]*)*"
    r"(?:est[- ]ce qu|qu'?est[- ]ce|pourquoi|pk|pq|comment|quand|o[uù] (?:est|sont|se|peut|peux|puis|trouver)|"
    r"combien|quel(?:le)?s?\b|qui (?:est|peut|sait|a|doit|s'occupe)|quoi\b|"
    r"(?:pouvez|pourriez|savez|avez|auriez|serait|sera|seriez|faut|peut|puis|dois|doit|faudrait|"
    r"allez|est|sont|y a|a|ont|fait|ferez|faites|existe|comptez|pensez|voulez)-(?:t-)?"
    r"(?:vous|tu|il|elle|on|ils|elles|je|nous|ce)\b|"
    r"(?:tu|vous|on) (?:sais|savez|peut|peux|pouvez|a|as|avez|conna[iî]t|connais|connaissez)\b"
    r".*\b(?:si|quand|o[uù]|comment|combien|quel)|"
    r"y a[- ]t[- ]il|il y a (?:quelqu'un|moyen)|c'est (?:quand|o[uù]|combien|normal|possible)|"
    r"c quand|on peut|je peux|j'peux|jpeux|est il|est-il|sait[- ]on)",
    re.IGNORECASE,
)
_FR_ANYWHERE = re.compile(
    r"\b(?:je (?:voudrais|souhaiterais|souhaite|aimerais) (?:savoir|conna[iî]tre|avoir des (?:infos|informations)|"
    r"un renseignement|des renseignements)|quelqu'un (?:sait|saurait|conna[iî]t|a une id[ée]e)|"
    r"une id[ée]e (?:de|du|pour|sur|si)|des (?:infos|informations|nouvelles) sur|"
    r"merci de (?:me|nous) (?:dire|indiquer|r[ée]pondre|tenir)|"
    r"(?:pourriez|pouvez)[- ]vous (?:me|nous)|savez[- ]vous|qui contacter|"
    r"[àa] qui (?:dois|doit|faut|s'adresser)|comment (?:faire|on fait|proc[ée]der|s'inscrire)|"
    r"[àa] quelle (?:heure|date|adresse)|jusqu'[àa] quand|c'est quand|est-ce possible|"
    r"(?:ouvre|ferme|commence|finit|reprend|passe|rouvre|arrive|sort)(?:nt)? quand\b|"
    r"di(?:tes|s)[- ]moi (?:si|quand|o[uù]|comment)|"
    r"besoin d'(?:aide|un renseignement|une info)|je n'arrive pas [àa]|je cherche (?:[àa]|le|la|les|un|une|des))",
    re.IGNORECASE,
)
_EN_START = re.compile(
    r"^(?:(?:hi|hello|hey|dear|excuse me|sorry|please|@\w+)[\s,!.]*)*"
    r"(?:what|when|where|why|how|who|whom|whose|which|"
    r"(?:do|does|did|can|could|would|will|should|shall|is|are|was|were|has|have|had|may|might|must|am)"
    r"(?:n't)? (?:i|you|we|they|he|she|it|there|this|that|anyone|anybody|someone|somebody|the|your|my|u)\b|"
    r"any (?:idea|news|update|info)|anyone|anybody)",
    re.IGNORECASE,
)
_EN_ANYWHERE = re.compile(
    r"\b(?:i (?:was wondering|would like to know|want to know|need to know|need help|can't find|cannot find|"
    r"couldn't find)|(?:does|do) (?:anyone|anybody) know|can (?:you|someone|anyone) (?:help|tell|explain|confirm)|"
    r"please (?:let (?:me|us) know|advise|help|tell|confirm)|any (?:idea|update|news) (?:on|about|when|if|why)|"
    r"who (?:should|do) i (?:contact|call|ask)|how (?:do|can|should) (?:i|we))",
    re.IGNORECASE,
)
# "?" after a laugh or a lone interjection is not a request ("mdr ?", "seriously?!").
_RHETORICAL = re.compile(
    r"^(?:\W|mdr|lol|ptdr|s[ée]rieux|seriously|really|vraiment|quoi|what|hein|ah bon|sérieusement|wtf|"
    r"allo|allô|non|no|why not|pourquoi pas)*$",
    re.IGNORECASE,
)

_COMPLAINT_FR = re.compile(
    r"\b(?:toujours pas|encore (?:une fois|en panne|fermé|ferm[ée]e|pas)|depuis (?:des|plus de|\d+) "
    r"(?:jours|semaines|mois|heures|ans)|inadmissible|inacceptable|scandale|scandaleux|honte|honteux|"
    r"marre|ras[- ]le[- ]bol|plainte|r[ée]clamation|rembours\w*|personne ne (?:r[ée]pond|d[ée]croche)|"
    r"aucune r[ée]ponse|sans r[ée]ponse|pas de r[ée]ponse|d[ée][çc]u|d[ée]ception|n'importe quoi|"
    r"(?:ne )?(?:marche|fonctionne) (?:pas|plus)|en panne|cass[ée]|jamais (?:l[àa]|r[ée]pondu)|"
    r"on attend|j'attends|nous attendons|vous vous moquez|foutage|lamentable|nul|nulle|pourri|pourrie)\b",
    re.IGNORECASE,
)
_COMPLAINT_EN = re.compile(
    r"\b(?:still (?:no|not|waiting|broken)|again\b.*\b(?:broken|closed|late|down)|for (?:days|weeks|months|hours)|"
    r"unacceptable|disgrace|disgraceful|ridiculous|complain|complaint|refund|nobody (?:answers|replies)|"
    r"no (?:answer|reply|response)|disappointed|disappointing|(?:doesn't|does not|don't|isn't) work|"
    r"not working|broken|waiting since|been waiting|worst|terrible|awful|scam|rip ?off|fed up|sick of)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(?:merci|bravo|f[ée]licitations?|chapeau|super|g[ée]nial|top|excellent|magnifique|superbe|"
    r"j'adore|adore|trop bien|belle (?:initiative|journ[ée]e|id[ée]e)|thanks?|thank you|thx|great|"
    r"awesome|amazing|love|well done|congrat\w*|kudos|brilliant|fantastic|perfect|wonderful|beautiful)\b",
    re.IGNORECASE,
)


# "Quelle belle journée", "What a lovely park": exclamations that start like questions.
_EXCLAMATIVE = re.compile(
    r"^(?:quel(?:le)?s? (?:belle|beau|bel|bonne|bon|jolie?|magnifique|superbe|horreur|honte|plaisir|bonheur|"
    r"chance|dommage|gal[èe]re|tristesse|joie|d[ée]ception|surprise)|what an? |how (?:nice|lovely|sad|great|cool|"
    r"beautiful|awful|kind)\b)",
    re.IGNORECASE,
)


def is_question(text: str, language: str | None = None) -> bool:
    body = _URL.sub(" ", text or "").strip()
    if not body:
        return False
    if "?" in body:
        stripped = body.replace("?", " ").replace("!", " ").strip()
        if not _RHETORICAL.match(stripped):
            return True
    check_fr = language in (None, "fr")
    check_en = language in (None, "en") or language not in ("fr",)
    for part in re.split(r"(?<=[.!\n])\s+", body):
        sentence = part.strip()
        if _EXCLAMATIVE.match(sentence):
            continue
        if check_fr and _FR_START.match(sentence):
            return True
        if check_en and _EN_START.match(sentence):
            return True
    if check_fr and _FR_ANYWHERE.search(body):
        return True
    return bool(check_en and _EN_ANYWHERE.search(body))


def intent(text: str, *, question: bool, sentiment: str, score: float, language: str | None = None) -> str:
    """question / complaint / praise / other.

    A complaint phrased as a question ("toujours pas de réponse ?") is a complaint: the CM must
    treat the grievance, the answer comes with it; ``is_question`` stays true for routing.
    """
    body = text or ""
    complaint_cue = bool(_COMPLAINT_FR.search(body) or _COMPLAINT_EN.search(body))
    if sentiment == "negative" and (complaint_cue or score <= -0.4):
        return "complaint"
    if complaint_cue and score < 0.5:  # "toujours pas de réponse, c'est normal ??" is no praise
        return "complaint"
    if question:
        return "question"
    if sentiment == "positive" and (_PRAISE.search(body) or score >= 0.5):
        return "praise"
    return "other"
