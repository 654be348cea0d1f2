"""The rule planner's word tables: regular expressions and the values they stand for.

Data, not logic: extend a table to teach the planner a word.
"""

from __future__ import annotations

# ---------------------------------------------------------------- word tables (regex -> value)

ASPECT_RULES: tuple[tuple[str, str], ...] = (  # first match wins: explicit beats contextual
    (r"\b(?:16|21)\s*:\s*9\b|\b3\s*:\s*2\b|\b4\s*:\s*3\b", "landscape"),
    (r"\b9\s*:\s*16\b|\b2\s*:\s*3\b|\b3\s*:\s*4\b|\b4\s*:\s*5\b", "portrait"),
    (r"\b1\s*:\s*1\b", "square"),
    (r"\blandscape (?:format|orientation|mode)|\bwide(?:[- ](?:format|shot|angle|view|aspect|banner|image))\b|\bwidescreen|\bultra-?wide|\bhorizontal\b|\bpanoram", "landscape"),
    (r"\bportrait (?:format|orientation|mode)|\bvertical\b|\btall format", "portrait"),
    (r"\bsquare (?:format|image|crop)", "square"),
    (r"\b(?:instagram|ig) stor(?:y|ies)|\b(?:phone|mobile|iphone) wallpaper|\block ?screen|\bposter\b|\bbook cover|\bflyer\b|\bpinterest|\bmagazine cover", "portrait"),
    (r"\bmagazine spread|\bdouble[- ]page|\bbanner\b|\bdesktop wallpaper|\bbillboard|\bhero image|\bheader image|\bthumbnail|\byoutube|\bcinematic|\bpresentation slide", "landscape"),
    (r"\bsquare\b|\binstagram\b|\balbum cover|\bprofile (?:picture|photo)|\bavatar\b|\bapp icon|\blogo\b|\bsticker\b", "square"),
    (r"\bportrait\b", "portrait"),
    (r"\blandscape\b", "landscape"),
)

FORMAT_RULES: tuple[tuple[str, str], ...] = (
    (r"\bmagazine spread|\bdouble[- ]page", "magazine spread"), (r"\bmagazine cover", "magazine cover"),
    (r"\bposter\b", "poster"), (r"\badvert(?:isement)?\b|\bad campaign|\bcommercial\b", "advertisement"),
    (r"\bbanner\b", "banner"), (r"\bbook cover", "book cover"), (r"\bflyer\b", "flyer"),
    (r"\balbum cover", "album cover"), (r"\bbillboard", "billboard"), (r"\blogo\b", "logo"),
    (r"\bsticker\b", "sticker"), (r"\bwallpaper\b", "wallpaper"), (r"\bthumbnail", "thumbnail"),
    (r"\binstagram", "social post"), (r"\binfographic", "infographic"), (r"\bproduct (?:shot|photo)", "product shot"),
    (r"\bpostcard", "postcard"), (r"\bmenu\b", "menu"),
)

SURFACE_WORDS = r"background|backdrop|surface|table(?:top)?|counter(?:top)?|floor|wall|slab|setting|pedestal"

BACKGROUND_RULES: tuple[tuple[str, str], ...] = (
    (r"\bnight city|\bcity at night|\bcity lights|\bnight(?:time)? (?:skyline|street|city)|\bcyberpunk city|\bneon city|\bneon[- ]lit street", "night city"),
    (r"\bbokeh|\bblurred (?:lights|background)|\bout[- ]of[- ]focus", "bokeh"),
    (r"\bmarble", "marble"),
    (r"\bwood(?:en)?\b|\boak\b|\bwalnut|\btimber|\bplanks?\b", "wood"),
    (r"\bconcrete|\bcement|\bbrutalis", "concrete"),
    (r"\bpaper\b|\bparchment|\bcardboard|\bkraft|\bstationery", "paper"),
    (r"\bfabric|\bsilk\b|\bsatin|\bvelvet|\blinen|\bcloth\b|\btextile|\bdrapery", "fabric"),
    (r"\bocean|\bsea\b|\blake\b|\bunderwater|\bwaves?\b|\bwater surface|\bon (?:the )?water|\bpool\b", "water"),
    (r"\bstarry|\bnight sky|\bgalaxy|\bouter space|\bstars\b|\bnebula", "night sky"),
    (r"\bsky\b|\bclouds?\b|\bcloudy|\bsunset|\bsunrise|\bhorizon|\bbeach|\bdesert|\bmeadow|\bfield\b", "sky"),
    (r"\bstudio|\bseamless|\bphoto shoot|\bsweep\b", "studio"),
    (r"\bgradient", "gradient"),
    (r"\bplain\b|\bsolid (?:colou?r|background)|\bclean\b|\bblank\b|\bminimal(?:ist)? background|\bneutral\b|\bwhite background|\bblack background", "plain"),
)

SETTING_RULES: tuple[tuple[str, str], ...] = (
    (r"\bforest|\bwoods\b|\bjungle", "forest"), (r"\bbeach|\bseaside|\bcoast", "beach"),
    (r"\bdesert", "desert"), (r"\boffice\b", "office"), (r"\bcaf[eé]\b|\bcoffee shop", "cafe"),
    (r"\bkitchen", "kitchen"), (r"\bstreet\b", "street"), (r"\bgarden|\bpark\b", "garden"),
    (r"\bmountains?\b|\balps\b", "mountains"), (r"\bcity\b|\burban|\bdowntown", "city"),
    (r"\bspace\b|\bgalaxy", "outer space"), (r"\bbedroom|\bliving room|\binterior", "interior"),
    (r"\bsnow|\bwinter", "winter"), (r"\bstage\b|\bconcert", "stage"),
    (r"\bon (?:a|the) table|\btabletop", "tabletop"),
)

SETTING_BACKGROUNDS = {
    "forest": "bokeh", "office": "bokeh", "cafe": "bokeh", "kitchen": "bokeh", "garden": "bokeh",
    "street": "bokeh", "interior": "bokeh", "stage": "bokeh", "beach": "sky", "desert": "sky",
    "mountains": "sky", "city": "sky", "winter": "sky", "outer space": "night sky",
}

TONE_RULES: tuple[tuple[str, str], ...] = (
    (r"\bneon\b|\bcyberpunk|\bsynthwave|\bvaporwave", "neon"),
    (r"\bpastel", "pastel"),
    (r"\bblack and white|\bmonochrom|\bgrayscale|\bgreyscale", "monochrome"),
    (r"\bdark\b|\bmoody|\blow[- ]key|\bnoir\b|\bblack background|\bat night|\bmidnight", "dark"),
    (r"\bvibrant|\bsaturated|\bcolou?rful|\bbold colou?rs", "vibrant"),
    (r"\bmuted|\bdesaturated|\bearthy|\bfaded", "muted"),
    (r"\bbright\b|\bairy|\bhigh[- ]key|\blight background|\bwhite background", "light"),
)

LIGHTING_RULES: tuple[tuple[str, str, str], ...] = (  # (words, lighting, default direction)
    (r"\bdramatic (?:side[- ]?)?light|\bside[- ]?light|\bside[- ]lit|\bchiaroscuro|\blow[- ]key light|\bhard light|\brembrandt light|\bdramatic shadows", "dramatic side", "left"),
    (r"\bgolden hour|\bsunset light|\bwarm evening light|\blate afternoon sun|\bsunset glow", "golden hour", "right"),
    (r"\bbacklit|\bback[- ]?light|\brim light|\bsilhouetted|\bcontre[- ]jour|\blight from behind", "backlit", "back"),
    (r"\bneon (?:light|glow|sign)|\bneon[- ]lit|\bneon\b", "neon", "front"),
    (r"\bcandle[- ]?lit|\bcandle ?light|\bfirelight|\bfireplace glow|\blantern light", "candle-lit", "front"),
    (r"\bsoft studio|\bstudio light|\bsoft ?box|\bsoft light|\bdiffused light|\bbeauty light|\beven light|\bsoft lighting", "soft studio", "front"),
    (r"\bspot ?light|\bstage light", "spotlight", "top"),
    (r"\bmoon ?lit|\bmoonlight", "moonlight", "top"),
    (r"\bovercast", "overcast", "top"),
    (r"\bsun ?lit|\bsunlight|\bdaylight|\bnatural light|\bsunny|\bbright sun", "natural", "top"),
    (r"\bcinematic light", "cinematic", "left"),
    (r"\bdramatic lighting|\bdramatic\b", "dramatic side", "left"),
)

DIRECTION_RULES: tuple[tuple[str, str], ...] = (
    (r"\bfrom (?:the )?left|\blit from the left|\bleft[- ]side light|\blight(?:ing)? on the left", "left"),
    (r"\bfrom (?:the )?right|\blit from the right|\bright[- ]side light|\blight(?:ing)? on the right", "right"),
    (r"\bfrom above|\boverhead|\btop[- ]?light|\bfrom the top", "top"),
    (r"\bfrom below|\bunder[- ]?lit|\bfrom underneath", "bottom"),
    (r"\bfrom behind|\bbehind the subject", "back"),
)

MOOD_RULES: tuple[tuple[str, str], ...] = (
    (r"\bluxur|\bpremium|\bhigh[- ]end|\bopulent|\bprestig", "luxurious"),
    (r"\bcozy|\bcosy|\bwarm and inviting|\bhomely", "cozy"),
    (r"\bmysterious|\bmoody|\beerie|\bnoir\b|\bominous", "moody"),
    (r"\bplayful|\bcheerful|\bfun\b|\bwhimsical|\bjoyful", "playful"),
    (r"\bcalm|\bserene|\bpeaceful|\btranquil", "serene"),
    (r"\bfuturistic|\bcyberpunk|\bsci-fi|\bhigh-tech", "futuristic"),
    (r"\bromantic", "romantic"), (r"\bvintage|\bretro\b|\bnostalgic", "vintage"),
    (r"\bepic\b|\bheroic|\bdramatic", "dramatic"), (r"\bprofessional|\bcorporate|\bbusiness", "professional"),
    (r"\bminimal|\bclean\b|\bmodern\b|\bsleek", "minimal"), (r"\belegan", "elegant"),
)

MEDIUM_RULES: tuple[tuple[str, str], ...] = (
    (r"\bphoto-?realistic|\bphotograph|\bphoto\b|\brealistic", "photo"),
    (r"\bwatercolou?r", "watercolor"), (r"\boil painting|\bpainting\b", "painting"),
    (r"\b3d render|\b3d\b|\bcgi\b", "3d render"), (r"\bpixel art", "pixel art"),
    (r"\billustrat|\bcartoon|\bflat design|\bvector\b|\banime\b|\bcomic", "illustration"),
    (r"\bsketch|\bpencil drawing|\bline art", "sketch"),
)

TRANSPARENT_RULE = (
    r"\btransparent (?:background|bg|backdrop)|\bon (?:a )?transparent|\bno background|\bwithout (?:a |any )?background"
    r"|\bsticker\b|\bcut[- ]?out\b|\bdie[- ]cut|\balpha (?:channel|background)|\bbackground removed|\bisolated png"
)
RESEARCH_RULE = r"\bresearch\b|\blook (?:it )?up|\bsearch the web|\bweb search|\bverify\b|\bup[- ]to[- ]date|\breal[- ]world details"

# Subject nouns by kind; "weak" nouns only count when no other noun of that kind is present.
SUBJECT_NOUNS: dict[str, str] = {
    "watch": r"wrist ?watch(?:es)?|watch(?:es)?|timepieces?|chronographs?",
    "phone": r"iphones?|smartphones?|(?:mobile |cell ?)?phones?|android phones?",
    "person": r"wom[ae]n|m[ae]n|girls?|boys?|persons?|people|child(?:ren)?|kids?|lady|ladies|gentlem[ae]n"
              r"|business(?:wo)?m[ae]n|chefs?|doctors?|nurses?|astronauts?|athletes?|dancers?|students?"
              r"|teachers?|workers?|musicians?|singers?|soldiers?|knights?|wizards?|princess|king|queen",
    "bottle": r"bottles?|perfumes?|colognes?|flasks?|vials?|wine|whisk(?:e)?y",
    "cup": r"cups?|mugs?|teacups?|coffee|espresso|latte|cappuccino|tea",
    "tree": r"trees?|oaks?|pines?|palms?|bonsai|willows?|birch(?:es)?",
    "building": r"buildings?|houses?|skyscrapers?|towers?|castles?|cathedrals?|churche?s?|cabins?|cottages?"
                r"|temples?|lighthouses?|barns?|villas?|mansions?|skyline",
    "animal": r"cats?|kittens?|dogs?|pupp(?:y|ies)|fox(?:es)?|wol(?:f|ves)|lions?|tigers?|bears?|horses?|deer"
              r"|rabbits?|bunn(?:y|ies)|owls?|birds?|eagles?|parrots?|elephants?|pandas?|animals?|squirrels?"
              r"|cows?|sheep|pigs?|monkeys?|dragons?",
    "car": r"(?:sports )?cars?|vehicles?|trucks?|suvs?|sedans?|convertibles?|jeeps?|vans?|taxis?|motorcycles?",
    "flower": r"flowers?|roses?|tulips?|sunflowers?|bouquets?|lil(?:y|ies)|orchids?|dais(?:y|ies)|peon(?:y|ies)"
              r"|lotus|blossoms?",
    "mountain": r"mountains?|peaks?|alps|volcano(?:es)?|hills?",
    "object": r"sneakers?|shoes?|bags?|handbags?|backpacks?|headphones|laptops?|cameras?|lamps?|chairs?|vases?"
              r"|books?|apples?|cakes?|gift box(?:es)?|boxes|candles?|rings?|necklaces?|jewel(?:le)?ry|sunglasses"
              r"|guitars?|robots?|jars?|teapots?|bowls?|chocolates?|pens?|keys?|globes?|trophy|trophies",
}
WEAK_PERSON = r"headshot|portrait|selfie"
STOP_WORDS = frozenset(
    "a an the of for with on in at and or to by from into onto some two three four its their his her this that these"
    " those is are be should include includes including featuring showing shows show depicting where which as your our"
    " my one no without".split()
)

PLACEMENT_RULES: tuple[tuple[str, str], ...] = (  # longest phrases first
    (r"upper[- ]right|top[- ]right|right[- ]top", "upper right"), (r"upper[- ]left|top[- ]left|left[- ]top", "upper left"),
    (r"lower[- ]right|bottom[- ]right|right[- ]bottom", "lower right"), (r"lower[- ]left|bottom[- ]left|left[- ]bottom", "lower left"),
    (r"left third", "left third"), (r"right third", "right third"),
    (r"(?:in|at|across|along|on) the (?:very )?top(?![- ](?:left|right))|top of|top edge|upper third|upper part|header|overhead", "top"),
    (r"(?:in|at|across|along|on) the (?:very )?bottom(?![- ](?:left|right))|bottom of|bottom edge|lower third|lower part|footer", "bottom"),
    (r"(?:on|to|at) the left|left side|left half|\bat left", "left"), (r"(?:on|to|at) the right|right side|right half|\bat right", "right"),
    (r"in the foreground|foreground", "foreground"), (r"in the background|in the distance|far away", "background"),
    (r"\bcent(?:er|re)d?\b|in the middle|\bmiddle\b", "center"),
)
SIZE_RULES: tuple[tuple[str, str], ...] = (
    (r"\blarge headline|\bbig headline|\bheadline|\btitle\b|\bheading|\bhuge|\bgiant|\bmassive", "headline"),
    (r"\blarge|\bbig\b|\bprominent|\bclose-?up|\bdominant", "large"),
    (r"\bsmall|\btiny|\bcaption|\bfine print|\bsubtle|\bsubtitle|\bfootnote|\blittle", "small"),
)
FONT_STYLE_RULES: tuple[tuple[str, str], ...] = (
    (r"sans[- ]?serif|\bsans\b|grotesk|helvetica|geometric (?:font|type)|modern (?:font|type)|clean (?:font|type)", "sans"),
    (r"serif|\broman\b|didone|garamond|times new roman|engraved|elegant|classic (?:font|type)", "serif"),
    (r"hand[- ]?written|hand[- ]?lettered|handwriting|\bscript\b|cursive|calligraph|brush lettering|signature", "script"),
    (r"typewriter|monospace|\bmono\b|code font|terminal font|pixel font", "mono"),
    (r"display (?:font|type)|art deco|blocky|poster font|slab|stencil|graffiti|retro font|decorative", "display"),
)
BOLD_RULE = r"\bbold\b|\bheavy\b|\bthick letter|\bblack weight|\bstrong letter"
LETTER_WORDS = r"letters|lettering|text|type|typography|font|ink|script|words?|caps"

SCRIPT_LANGUAGES: tuple[tuple[str, str | None], ...] = (  # (character class, default language)
    ("[\u3040-\u30ff]", "ja"), ("[\uac00-\ud7af\u1100-\u11ff]", "ko"), ("[\u3400-\u4dbf\u4e00-\u9fff]", "zh-Hans"),
    ("[\u0600-\u06ff\u0750-\u077f]", "ar"), ("[\u0590-\u05ff]", "he"), ("[\u0900-\u097f]", "hi"),
    ("[\u0e00-\u0e7f]", "th"), ("[\u0370-\u03ff]", "el"), ("[\u0400-\u04ff]", None),
)
LANGUAGE_WORDS: tuple[tuple[str, str, str], ...] = (  # (words, language, script class it needs)
    (r"\bjapanese", "ja", "[\u3040-\u30ff\u4e00-\u9fff]"), (r"\bkorean", "ko", "[\uac00-\ud7af\u4e00-\u9fff]"),
    (r"\btraditional chinese|\bcantonese|\btaiwanese|\bhong kong", "zh-Hant", "[\u4e00-\u9fff]"),
    (r"\bchinese|\bmandarin", "zh-Hans", "[\u4e00-\u9fff]"), (r"\bpersian|\bfarsi", "fa", "[\u0600-\u06ff]"),
    (r"\burdu", "ur", "[\u0600-\u06ff]"), (r"\brussian", "ru", "[\u0400-\u04ff]"),
    (r"\bukrainian", "uk", "[\u0400-\u04ff]"), (r"\bbulgarian", "bg", "[\u0400-\u04ff]"),
    (r"\bserbian", "sr", "[\u0400-\u04ff]"),
)
