"""The rule planner's word tables: regular expressions and the values they stand for.

Data, not logic: extend a table to teach the planner a word.
"""

from __future__ import annotations

import re

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
    (r"\bbrick", "concrete"),
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
    (r"\bjungle", "jungle"), (r"\bforest|\bwoods\b", "forest"), (r"\bbeach|\bseaside|\bcoast", "beach"),
    (r"\bdesert", "desert"), (r"\boffice\b", "office"), (r"\bcaf[eé]\b|\bcoffee shop", "cafe"),
    (r"\bkitchen", "kitchen"), (r"\bharbou?r\b", "harbor"), (r"\bmuseum", "museum"), (r"\bstation\b", "station"),
    (r"\bmarsh|\bswamp", "marsh"), (r"\bmeadow", "meadow"), (r"(?<!depth of )\bfield\b", "field"), (r"\bisland\b", "island"),
    (r"\bcity\b|\burban|\bdowntown", "city"), (r"\bstreet\b", "street"), (r"\bgarden|\bpark\b", "garden"),
    (r"\bmountains?\b|\balps\b", "mountains"),
    (r"\bspace\b|\bgalaxy", "outer space"), (r"\bbedroom|\bliving room|\binterior", "interior"),
    (r"\bstage\b|\bconcert", "stage"), (r"\btabletop", "tabletop"),
)

SETTING_BACKGROUNDS = {
    "jungle": "bokeh", "museum": "bokeh", "station": "bokeh", "harbor": "sky", "marsh": "sky", "meadow": "sky",
    "field": "sky", "island": "sky", "forest": "bokeh", "office": "bokeh", "cafe": "bokeh", "kitchen": "bokeh", "garden": "bokeh",
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
              r"|teachers?|workers?|musicians?|singers?|soldiers?|knights?|wizards?|princess|king|queen"
              r"|fisherm[ae]n|samurai|pirates?|monks?|cyclists?|runners?|skateboarders?|bab(?:y|ies)|famil(?:y|ies)",
    "bottle": r"bottles?|perfumes?|colognes?|flasks?|vials?|wine|whisk(?:e)?y",
    "cup": r"cups?|mugs?|teacups?|coffee|espresso|latte|cappuccino|tea|hot chocolate",
    "tree": r"trees?|oaks?|pines?|palms?|bonsai|willows?|birch(?:es)?|cact(?:us|i)|bamboo",
    "building": r"buildings?(?! (?:a|an|the|his|her|their|some)\b)|houses?|skyscrapers?|towers?|castles?|cathedrals?|churche?s?|cabins?|cottages?"
                r"|temples?|lighthouses?|barns?|villas?|mansions?|skyline|storefronts?|bridges?",
    "animal": r"cats?|kittens?|dogs?|pupp(?:y|ies)|golden retrievers?|retrievers?|fox(?:es)?|wol(?:f|ves)|lions?|tigers?"
              r"|(?:polar )?bears?|horses?|deer|rabbits?|bunn(?:y|ies)|owls?|birds?|eagles?|parrots?|elephants?|pandas?"
              r"|animals?|squirrels?|cows?|sheep|pigs?|monkeys?|dragons?|herons?|koalas?|penguins?|hedgehogs?|frogs?"
              r"|mouse|mice",
    "car": r"(?:sports )?cars?|vehicles?|trucks?|suvs?|sedans?|convertibles?|jeeps?|vans?|taxis?|motorcycles?"
           r"|bicycles?|bikes?|(?:sail)?boats?|ships?|trains?|helicopters?|airplanes?|planes?|kayaks?|gondolas?"
           r"|(?:hot air )?balloons?",
    "flower": r"lily pads?|flowers?|roses?|tulips?|sunflowers?|lil(?:y|ies)|orchids?|dais(?:y|ies)|peon(?:y|ies)"
              r"|lotus|blossoms?|(?:potted )?plants?",
    "mountain": r"mountains?|peaks?|alps|volcano(?:es)?|hills?|ridges?|mesas?|valle(?:y|ys)",
    "water": r"lakes?|rivers?|ponds?|streams?|canals?|waterfalls?|puddles?|waves?",
    "sky": r"moon|rainbows?|clouds|lightning|milky way|northern lights",
    "sign": r"signs?|signboards?|billboards?|banners?|chalkboards?|blackboards?|whiteboards?|posters?|stickers?|cards?",
    "object": r"sneakers?|shoes?|bags?|handbags?|backpacks?|headphones|laptops?|cameras?|lamps?|chairs?|vases?"
              r"|books?|apples?|cakes?|gift box(?:es)?|boxes|candles?|rings?|necklaces?|jewel(?:le)?ry|sunglasses"
              r"|guitars?|robots?|jars?|teapots?|bowls?|chocolates?|pens?|keys?|globes?|trophy|trophies"
              r"|windows?|doors?|pancakes?|blueberr(?:y|ies)|plates?|ramen|chopsticks|cupcakes?|branch(?:es)?|hands?"
              r"|pianos?|paths?|sandcastles?|pizzas?|boards?|glass(?:es)?|kites?|crates?|cribs?"
              r"|cans?(?= of)|(?<=the )can|ice(?: cubes?| floes?)?|hammocks?|saxophones?|records?|juice|pedestals?"
              r"|radios?|cookies?|blankets?|flashlights?|wheels?|mailbox(?:es)?|chandeliers?|tents?|mushrooms?"
              r"|bread|packages?|umbrellas?|statues?|straws?|lanterns?|strawberr(?:y|ies)|arcade machines?|fireplaces?"
              r"|lemons?|bookshel(?:f|ves)|t-shirts?|dashboards?|typewriters?|lemonade stands?",
}
WEAK_PERSON = r"headshot|portrait|selfie"
STOP_WORDS = frozenset(
    "a an the of for with on in at and or to by from into onto some two three four its their his her this that these"
    " those several many few is are be should include includes including featuring showing shows show depicting where which as your our"
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
    (r"\bcent(?:er|re)(?:e?d)?\b|in the middle|\bmiddle\b", "center"),
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


# ---------------------------------------------------------------- scene structure (issue 17)

# Surfaces: what subjects stand on or against. noun pattern -> kind; ON_ONLY kinds are surfaces
# only right after "on" ("on white silk"; "a silk scarf" is not a surface).
SURFACE_NOUNS: tuple[tuple[str, str], ...] = (
    (r"window ?sills?|sills?", "windowsill"), (r"counter ?tops?|counters?", "counter"), (r"table ?tops?|tables?", "table"),
    (r"desks?", "desk"), (r"nightstands?|bedside tables?", "nightstand"), (r"shel(?:f|ves)", "shelf"),
    (r"floors?", "floor"), (r"walls?", "wall"), (r"streets?", "street"), (r"(?:dirt )?roads?", "road"),
    (r"sidewalks?|pavements?", "sidewalk"), (r"highways?", "highway"), (r"driveways?", "driveway"),
    (r"crossroads|intersections?", "crossroads"), (r"piers?", "pier"), (r"docks?", "dock"), (r"decks?", "deck"),
    (r"porch(?:es)?", "porch"), (r"balcon(?:y|ies)", "balcony"), (r"rugs?|carpets?", "rug"), (r"tablecloths?", "tablecloth"),
    (r"doorsteps?", "doorstep"), (r"cutting boards?", "cutting board"), (r"slates?", "slate"), (r"grass|lawn", "grass"),
    (r"rocks?|boulders?", "rock"), (r"cliffs?", "cliff"), (r"surfaces?|slabs?", "surface"), (r"mirrors?", "mirror"),
    (r"beds?", "bed"), (r"silk|velvet|satin|linen", "fabric"), (r"ice(?! (?:cubes?|floes?))", "ice"), (r"moon", "moon"), (r"sand", "sand"),
)
SURFACE_ON_ONLY = frozenset({"fabric", "ice", "moon", "sand", "mirror", "bed"})

# Materials, in a noun phrase ("glass vase", "wooden table") or after it ("of wood"): word -> material.
MATERIALS: dict[str, str] = {
    "glass": "glass", "ceramic": "ceramic", "porcelain": "porcelain", "leather": "leather", "wood": "wood",
    "wooden": "wood", "oak": "wood", "walnut": "wood", "timber": "wood", "marble": "marble", "gold": "gold",
    "golden": "gold", "silver": "silver", "brick": "brick", "stone": "stone", "concrete": "concrete", "paper": "paper",
    "cardboard": "cardboard", "velvet": "velvet", "silk": "silk", "linen": "linen", "satin": "satin",
    "crystal": "crystal", "bamboo": "bamboo", "steel": "steel", "metal": "metal", "iron": "iron", "copper": "copper",
    "plastic": "plastic", "asphalt": "asphalt", "gravel": "gravel", "cobblestone": "cobblestone", "granite": "granite",
}

# Relation words: pattern -> relation (imagegate.plan.RELATIONS); "holding" reads the other way round.
RELATION_RULES: tuple[tuple[str, str], ...] = (
    (r"in front of", "in front of"), (r"behind|in back of", "behind"),
    (r"next to|beside|alongside|side by side with|by the side of", "beside"),
    (r"under(?:neath)?|beneath|below", "under"), (r"above|over|atop", "above"),
    (r"on top of|on|onto|upon|crossing|across", "on"), (r"inside|in|into|within", "in"),
    (r"between", "between"), (r"leaning against|against", "against"),
    (r"holding|carrying|holds|walking with", "holds"),
)

TIME_RULES: tuple[tuple[str, str], ...] = (  # first match wins
    (r"\bgolden hour", "golden hour"), (r"\bsunset|\bsundown|\bsetting sun", "sunset"),
    (r"\bdawn\b|\bsunrise|\bdaybreak|\bfirst light", "dawn"), (r"\bdusk\b|\btwilight|\bevening|\bblue hour", "dusk"),
    (r"\bnight(?!stand)|\bmidnight|\bstarry|\bmoonlit|\bfull moon|\bnorthern lights|\bmilky way", "night"),
    (r"\bnoon\b|\bmidday", "noon"), (r"\bafternoon", "afternoon"), (r"\bmorning", "morning"),
)
WEATHER_RULES: tuple[tuple[str, str], ...] = (  # first match wins
    (r"\bstorm|\bthunder|\blightning", "storm"),
    (r"\bsnow|\bwinter\b|\bfrost(?:y|ed)?\b", "snow"),
    (r"\brain(?:y|ing|drops?)?\b|\bwet (?:street|asphalt|road|cobblestone|pavement)|\bpuddles?\b|\bdrizzl", "rain"),
    (r"\bmist|\bfog|\bhaz[ey]", "mist"),
    (r"\bovercast|\bcloudy|\bgr[ae]y sky", "overcast"),
    (r"\bsunny|\bclear sky|\bblue sky|\bcloudless", "clear"),
)
EFFECT_RULES: tuple[tuple[str, str], ...] = (
    (r"\breflect(?:ion|ions|ed|ing)?\b|\bmirrored", "reflection"), (r"\bshadows?\b", "shadow"),
    (r"\bglow(?:s|ing)?\b|\bneon-lit|\bspotlight", "glow"), (r"\bsteam(?:s|ing)?\b", "steam"),
    (r"\bsmoke\b|\bsmoky", "smoke"), (r"\bsparkl\w*|\bglitter", "sparkle"),
    (r"\brays of light|\blight rays|\bsun ?beams|\bgod rays", "light rays"), (r"\bmotion blur", "motion blur"),
    (r"\bcondensation|\bdroplets", "condensation"), (r"\bbokeh|\bshallow depth of field|\bblurred (?:background|city)|\bout[- ]of[- ]focus", "bokeh"),
    (r"\blens flare", "lens flare"), (r"\bsilhouett", "silhouette"),
)

# What text is written on: the nearest of these before the quoted text in its sentence.
CARRIER_NOUNS: dict[str, str] = {
    "sign": "sign", "signs": "sign", "signboard": "sign", "label": "label", "labels": "label", "labeled": "label",
    "labelled": "label", "poster": "poster", "screen": "screen", "display": "screen", "monitor": "screen",
    "t-shirt": "t-shirt", "shirt": "t-shirt", "mug": "mug", "cup": "cup", "book": "book", "cover": "book cover",
    "card": "card", "banner": "banner", "billboard": "billboard", "chalkboard": "chalkboard", "blackboard": "chalkboard",
    "whiteboard": "whiteboard", "sticker": "sticker", "box": "box", "can": "can", "cake": "cake", "paper": "paper",
    "note": "note", "window": "window", "wall": "wall", "truck": "truck", "mailbox": "mailbox", "newspaper": "newspaper",
    "bottle": "bottle", "bag": "bag", "jar": "jar", "door": "door", "cartel": "poster",
}
SURFACE_CARRIERS = frozenset({"wall", "window", "door"})

# Time of day and weather -> (base, secondary, accent) sky colours and a lighting preset.
TIME_PALETTES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]] = {
    "dawn": ((236, 178, 190), (168, 198, 232), (255, 222, 176)),
    "morning": ((160, 205, 240), (250, 238, 214), (255, 236, 180)),
    "noon": ((84, 156, 228), (236, 244, 252), (255, 250, 225)),
    "afternoon": ((110, 164, 224), (250, 232, 196), (255, 226, 160)),
    "golden hour": ((246, 186, 92), (252, 226, 160), (255, 246, 214)),
    "sunset": ((244, 128, 58), (236, 110, 140), (255, 206, 112)),
    "dusk": ((72, 62, 124), (226, 124, 112), (255, 196, 140)),
    "night": ((12, 18, 50), (40, 52, 104), (236, 238, 255)),
}
TIME_LIGHTING: dict[str, tuple[str, str]] = {
    "dawn": ("golden hour", "left"), "morning": ("natural", "left"), "noon": ("natural", "top"),
    "afternoon": ("natural", "right"), "golden hour": ("golden hour", "right"), "sunset": ("golden hour", "right"),
    "dusk": ("backlit", "back"), "night": ("moonlight", "top"),
}
WEATHER_MIX: dict[str, tuple[tuple[int, int, int], float]] = {  # colour to mix into the sky, and how much
    "mist": ((212, 214, 218), 0.45), "rain": ((96, 106, 120), 0.4), "storm": ((48, 52, 66), 0.55),
    "snow": ((232, 236, 244), 0.35), "overcast": ((150, 154, 160), 0.45),
}
WEATHER_LIGHTING = {"mist": "overcast", "rain": "overcast", "storm": "dramatic side", "snow": "overcast", "overcast": "overcast", "clear": "natural"}
SURFACE_PALETTES = {  # a wall as the backdrop: (base, secondary) of its material
    "brick": ((156, 66, 48), (200, 186, 170)), "stone": ((150, 146, 138), (110, 106, 100)),
}

# ---------------------------------------------------------------- other languages -> English words
# A prompt in another language is glossed into English words before it is read (the quoted
# text is masked first, so it is never touched). Written from the dev split of
# benchmarks/data/plan_elements.jsonl: extend a table to teach the planner a word.

ENGLISH_WORDS = frozenset("a an the of with on in at and to by for from is are under over beside behind near".split())
LATIN_HINTS: dict[str, frozenset[str]] = {  # words that tell the Latin-script languages apart
    "es": frozenset("el los las una unos unas con sobre del y al junto lado de en la noche bajo detrás delante encima cerca entre durante muy".split()),
    "fr": frozenset("le les une des sur avec du au et dans devant aux la l sous derrière près entre pendant au-dessus".split()),
    "de": frozenset("der die das ein eine einer einem einen mit auf im bei und neben vor unter hinter zwischen über dem den des einem".split()),
    "it": frozenset("il lo gli una su sul sulla con di della e sotto accanto che un all al d nel nella dietro davanti vicino tra fra sopra dei delle".split()),
    "pt": frozenset("o os um uma numa num com ao do da na no e sob lado em nos nas atrás perto entre sobre dos das".split()),
}
GLOSSES: dict[str, tuple[tuple[str, str], ...]] = {  # (pattern, English), longest first within a language
    "es": (
        (r"alf[eé]izar(?: de la ventana)?", "windowsill"), (r"al atardecer", "at sunset"), (r"al amanecer", "at dawn"),
        (r"de noche", "at night"), (r"al lado de", "beside"), (r"al lado", "beside it"), (r"junto a", "beside"),
        (r"de madera", "of wood"), (r"de colores", "colorful"), (r"de cumpleaños", "birthday"), (r"de cine", "movie"),
        (r"gatos?", "cat"), (r"perros?", "dog"), (r"plantas?", "plant"), (r"manzanas", "apples"), (r"manzana", "apple"),
        (r"mesa", "table"), (r"playa", "beach"), (r"botellas?", "bottle"), (r"etiqueta", "label"), (r"copas", "glasses"),
        (r"copa", "glass"), (r"cartel", "poster"), (r"t[ií]tulo", "title"), (r"ciudad", "city"), (r"globos", "balloons"),
        (r"tarta", "cake"), (r"vino", "wine"), (r"durmiendo", "sleeping"), (r"corriendo", "running"), (r"rojas?|rojos?", "red"),
        (r"tres", "three"), (r"dos", "two"), (r"cinco", "five"), (r"sobre", "on"), (r"con", "with"), (r"en", "in"),
        (r"una?|unos|unas", "a"), (r"el|la|los|las", "the"), (r"del", "of the"), (r"de", "of"), (r"y", "and"),
    ),
    "fr": (
        (r"rebord de la fen[eê]tre", "windowsill"), (r"au coucher du soleil", "at sunset"), (r"à l'aube", "at dawn"),
        (r"au premier plan", "in the foreground"), (r"au crépuscule", "at dusk"), (r"lumière du matin", "morning light"),
        (r"la nuit", "at night"), (r"en hiver", "in winter"), (r"en bois", "of wood"), (r"en verre", "of glass"),
        (r"l'eau", "the water"), (r"chats?", "cat"), (r"chiens?", "dog"), (r"paysage", "landscape"), (r"montagnes?", "mountain"),
        (r"brumeux|brumeuse", "misty"), (r"lac", "lake"), (r"tasses", "cups"), (r"tasse", "cup"), (r"café", "coffee"),
        (r"table", "table"), (r"voiture", "car"), (r"rouge", "red"), (r"rue mouillée", "wet street"), (r"rue", "street"), (r"mouillée?", "wet"),
        (r"reflets?", "reflection"), (r"renard", "fox"), (r"neige", "snow"), (r"bouteille", "bottle"), (r"parfum", "perfume"),
        (r"soie", "silk"), (r"blanche", "white"), (r"ombres", "shadows"), (r"douces", "soft"), (r"affiche", "poster"),
        (r"texte", "text"), (r"bougies", "candles"), (r"étagère", "shelf"), (r"pièce", "room"), (r"sombre", "dark"),
        (r"cheminée", "fireplace"), (r"bateau", "boat"), (r"calme", "calm"), (r"assis(?:e)?", "sitting"),
        (r"devant", "in front of"), (r"deux", "two"), (r"trois", "three"), (r"sur", "on"), (r"avec", "with"),
        (r"dans", "in"), (r"une?", "a"), (r"le|la|les|l'", "the"), (r"des", "some"), (r"du", "of the"), (r"de", "of"),
        (r"et", "and"), (r"son|sa", "its"),
    ),
    "de": (
        (r"berglandschaft", "mountain landscape"), (r"im morgengrauen", "at dawn"), (r"bei sonnenaufgang", "at sunrise"),
        (r"im vordergrund", "in the foreground"), (r"in der nacht", "at night"), (r"tasse tee", "cup of tea"),
        (r"holztisch", "wooden table"), (r"nebelige?n?", "misty"), (r"see", "lake"), (r"pferde?", "horses"),
        (r"wiese", "meadow"), (r"buch", "book"), (r"alte[sn]?", "old"), (r"auto", "car"), (r"regnerische[nr]?", "rainy"),
        (r"straße", "street"), (r"zwei", "two"), (r"auf", "on"), (r"neben", "beside"), (r"mit", "with"), (r"im", "in the"),
        (r"ein(?:e[rmn]?)?", "a"), (r"der|die|das|dem|den", "the"), (r"und", "and"),
    ),
    "it": (
        (r"sotto la pioggia", "in the rain"), (r"all'alba", "at dawn"), (r"di notte", "at night"), (r"di legno", "of wood"),
        (r"accanto al", "beside the"), (r"accanto a", "beside"), (r"che dorme", "sleeping"), (r"in estate", "in summer"),
        (r"limoni", "lemons"), (r"tavolo", "table"), (r"canale", "canal"), (r"nebbia", "fog"), (r"cane", "dog"),
        (r"albero", "tree"), (r"bottiglia", "bottle"), (r"d'olio", "of oil"), (r"l'etichetta", "the label"),
        (r"pane", "bread"), (r"castello", "castle"), (r"collina", "hill"), (r"tre", "three"), (r"sul|sulla", "on the"),
        (r"su", "on"), (r"sotto", "under"), (r"con", "with"), (r"un'|una?|uno", "a"), (r"il|lo|la|gli|le", "the"),
        (r"di", "of"), (r"e", "and"),
    ),
    "pt": (
        (r"ao pôr do sol", "at sunset"), (r"ao entardecer", "at dusk"), (r"ao amanhecer", "at dawn"), (r"ao lado de", "beside"),
        (r"de tijolos?", "of brick"), (r"gatos?", "cat"), (r"janela", "window"), (r"placa", "sign"), (r"parede", "wall"),
        (r"o texto", "the text"), (r"praia", "beach"), (r"coqueiros", "palm trees"), (r"cachorros?", "dog"),
        (r"bicicleta", "bicycle"), (r"rua", "street"), (r"chuvosa", "rainy"), (r"cartaz", "poster"), (r"frase", "phrase"),
        (r"lanternas", "lanterns"), (r"três", "three"), (r"numa|num", "on a"), (r"na|no", "on the"), (r"com", "with"),
        (r"uma?", "a"), (r"o|os|as", "the"), (r"e", "and"), (r"de", "of"),
    ),
    "ru": (
        (r"на переднем плане", "in the foreground"), (r"на рассвете", "at dawn"), (r"во время шторма", "during a storm"),
        (r"с надписью", "with the text"), (r"рядом с", "beside"), (r"вывеск\w*", "sign"), (r"кирпичн\w*", "brick"),
        (r"стен\w*", "wall"), (r"туманн\w*", "misty"), (r"горн\w*", "mountain"), (r"пейзаж\w*", "landscape"),
        (r"озер\w*", "lake"), (r"маяк\w*", "lighthouse"), (r"скал\w*", "rock"), (r"плакат\w*", "poster"),
        (r"гитар\w*", "guitar"), (r"на", "on"), (r"с", "with"), (r"в", "in"), (r"и", "and"),
    ),
    "ja": (
        (r"夕暮れの?", "at dusk, "), (r"夜明けの?", "at dawn, "), (r"雨の夜の?", "rainy night "), (r"霧の", "misty "),
        (r"窓辺", " windowsill "), (r"猫", " cat "), (r"観葉植物", " potted plant "), (r"木のテーブル", " wooden table "),
        (r"三つの", " three "), (r"りんご", " apples "), (r"レンガの壁", " brick wall "), (r"看板", " sign "),
        (r"山", " mountain "), (r"手前の", " in the foreground "), (r"湖", " lake "), (r"街", " city "), (r"女性", " woman "),
        (r"桜の木", " cherry tree "), (r"二人の", " two "), (r"子供", " children "), (r"と", " and "), (r"の", " "),
    ),
    "zh": (
        (r"日落时", "at sunset, "), (r"黎明时分", "at dawn, "), (r"雨夜", "rainy night, "), (r"雾气弥漫的", "misty "),
        (r"前景有", " in the foreground "), (r"窗台", " windowsill "), (r"一盆植物", " a potted plant "), (r"植物", " plant "),
        (r"一只|一个|一辆", " a "), (r"一杯咖啡", " a cup of coffee "), (r"猫", " cat "), (r"山景", " mountain landscape "),
        (r"湖", " lake "), (r"木桌", " wooden table "), (r"大理石桌面", " marble table "), (r"三个", " three "),
        (r"两个", " two "), (r"苹果", " apples "), (r"街道", " street "), (r"红色", " red "), (r"汽车", " car "),
        (r"地面有倒影", ", reflection on the ground"), (r"倒影", " reflection "), (r"雪", " snow "), (r"狐狸", " fox "),
        (r"海报", " poster "), (r"写着", " with the text "), (r"灯笼", " lanterns "),
    ),
}
# Word order for Japanese and Chinese, applied in order before the words above: "X上的Y" is "Y on X".
GLOSS_ORDER: dict[str, tuple[tuple[str, str, str], ...]] = {  # (marker, pattern, replacement), within one clause
    "ja": (
        ("の上に", r"([^、。,，]+?)の上に([^、。,，]+)", r"\2 on \1"),
        ("の下に", r"([^、。,，]+?)の下に(?:座る)?([^、。,，]+)", r"\2 sitting under \1"),
        ("と書かれた", r"([^、。,，]+?)に\s*(\u27e6\d+\u27e7)\s*と書かれた([^、。,，]+)", r"\3 with the text \2 on \1"),
        ("に座る", r"([^、。,，]+?)に座る([^、。,，]+)", r"\2 sitting on \1"),
        ("を歩く", r"([^、。,，]+?)を歩く([^、。,，]+)", r"\2 walking in \1"),
        ("隣に", r"^隣に([^、。,，]+)", r" with \1 beside it"),
    ),
    "zh": (
        ("日落时", r"日落时", r"日落时，"), ("黎明时分", r"黎明时分", r"黎明时分，"), ("雨夜", r"雨夜", r"雨夜，"),
        ("上写着", r"([^、。,，]+?)上写着", r"\1写着"),
        ("上的", r"([^、。,，]+?)上的([^、。,，]+)", r"\2 on \1"), ("中的", r"([^、。,，]+?)中的([^、。,，]+)", r"\2 in \1"),
        ("旁边有", r"^旁边有([^、。,，]+)", r" with \1 beside it"),
    ),
}


# ---------------------------------------------------------------- generic nouns (any English noun)
# The planner also takes any English noun (by the lemminflect lexicon) after a determiner or a
# number as a subject. Written from general knowledge, not from the labelled set: what is never a
# subject (abstract, layout, format, time, weather, light words), and cheap kind categories.

NOT_SUBJECT = frozenset("""
style styles mood lighting light lights background backdrop foreground composition quality detail details scene scenes
view views shot shots image images photo photos photograph picture pictures illustration painting render rendering
drawing sketch art artwork color colour colors colours palette tone tones atmosphere texture textures feel look vibe
vibes aesthetic design layout text texts font fonts typeface typography lettering letter letters word words title
headline caption slogan tagline logo distance middle center centre side sides left right top bottom corner corners
edge edges front back half third part parts area space frame format orientation aspect ratio resolution angle
perspective lens focus depth field contrast saturation shadow shadows reflection reflections glow steam smoke sparkle
sparkles bokeh flare silhouette silhouettes ray rays beam beams time day days night nights morning evening afternoon
noon dawn dusk sunset sunsets sunrise twilight hour hours moment season winter summer spring autumn fall weather rain
snow fog mist haze storm sunlight daylight moonlight candlelight starlight sun sky skies kitchen forest beach city
garden park office cafe room bedroom interior studio landscape cityscape seascape world nature environment version
type kind sort variety lot lots number pair couple group set bunch row rows line lines series dozen piece bit hint
touch sense feeling emotion expression energy theme concept idea campaign advertisement ad ads poster banner flyer
cover wallpaper thumbnail postcard menu icon brand product item items object objects thing things stuff element
elements subject subjects way use size shape shapes pattern patterns surface material materials finish mode effect
effects highlight highlights accent accents realism photorealism film grain noise vignette tilt close-up closeup
macro portrait headshot selfie viewpoint eye level degree degrees inch minimalism simplicity warmth glowing center
middle ground distance horizon air sound music love peace joy beauty life death fire water sea ocean lake river
cinematic hd ultra k resolution anime cartoon vector pixel watercolor oil pencil ink charcoal depiction rendering
depth-of-field shallow scale proportion proportions position placement direction motion movement speed action
wide close medium full half-body body-shot spread page pages slide template mockup mock-up version edition
reads says read label labels name names phrase quote movie film birthday festival party celebration wedding
picnic holiday calm dark pastel bright desert marsh harbor harbour meadow jungle island valley mountains hills
swamp countryside village town downtown street streets urban suburb skyline spotlight headlight headlights
flock stack herd pile bunch bouquet swarm cluster handful school crowd collection assortment array heap
rule entrance exit backyard yard loaf slice guard case rim lid handle strap dial bezel cap base stem tip surface texture finish glare sheen
star stars end station hall corridor weekend week month year today tonight history future past story sign signs words dream dreams magic wonder
""".split())

# lemma -> kind, for nouns no subject table names
NOUN_KINDS: dict[str, str] = {}
for _kind, _words in {
    "animal": "giraffe zebra camel goat donkey mule duck goose swan chicken hen rooster turkey pigeon crow raven sparrow"
              " robin hummingbird flamingo peacock ostrich seagull gull pelican butterfly bee ant spider beetle ladybug"
              " dragonfly snail worm fish goldfish shark whale dolphin octopus crab lobster turtle tortoise snake lizard"
              " crocodile alligator kangaroo sloth otter beaver raccoon badger moose elk bison buffalo ox leopard cheetah"
              " jaguar panther gorilla chimpanzee hippo rhino hamster guinea bat seal walrus llama alpaca lamb calf foal"
              " pony stag reindeer puppy kitten cub jellyfish starfish seahorse dinosaur unicorn",
    "person": "farmer fisherman sailor pilot driver painter artist writer poet photographer model actor actress"
              " grandmother grandfather mother father son daughter brother sister friend couple bride groom traveler"
              " traveller hiker climber surfer swimmer skier skater gardener baker butcher waiter waitress barista"
              " scientist engineer firefighter policeman officer detective vendor merchant shopkeeper tourist crowd"
              " toddler teenager grandma grandpa mom dad warrior ninja cowboy witch fairy angel clown",
    "flower": "plant fern moss ivy vine cactus succulent herb grass weed lavender daffodil violet poppy dandelion"
              " hydrangea magnolia jasmine iris marigold carnation chrysanthemum bouquet wreath leaf petal",
    "tree": "tree maple cedar spruce fir cherry elm ash cypress sequoia redwood baobab olive",
    "food": "bread loaf baguette croissant bagel sandwich burger hamburger hotdog pizza pasta spaghetti noodle soup"
            " salad steak sausage egg cheese butter honey jam cake pie tart cookie biscuit muffin donut doughnut"
            " pancake waffle cereal rice sushi dumpling taco burrito apple banana orange pear peach plum grape"
            " cherry strawberry raspberry blueberry lemon lime melon watermelon pineapple mango kiwi coconut"
            " avocado tomato potato carrot onion garlic pepper cucumber lettuce broccoli corn pumpkin mushroom"
            " nut almond chocolate candy cupcake macaron popcorn fries icecream ice-cream dessert meal breakfast"
            " dinner lunch fruit vegetable berry olive",
    "car": "car bus tram train truck van taxi motorcycle scooter bicycle bike boat ship yacht canoe kayak ferry"
           " submarine airplane plane jet helicopter rocket spaceship tractor wagon carriage cart sled tank",
    "building": "house home building tower castle palace church chapel cathedral temple mosque pagoda shrine"
                " lighthouse windmill barn cabin cottage hut shed tent igloo skyscraper bridge fountain monument"
                " statue arch gate ruin ruins hotel school hospital library museum station factory warehouse"
                " stadium theater theatre shop store bakery restaurant diner pub bar market farmhouse greenhouse",
    "furniture": "chair armchair sofa couch stool bench table desk bed crib cabinet cupboard dresser wardrobe"
                 " bookcase bookshelf shelf lamp sideboard ottoman hammock",
}.items():
    for _w in _words.split():
        NOUN_KINDS.setdefault(_w, _kind)

# More surfaces, from general knowledge: things a subject stands, sits or lies on.
GENERIC_SURFACES: tuple[tuple[str, str], ...] = (
    (r"benches|bench", "bench"), (r"ledges?", "ledge"), (r"mantel(?:piece)?s?", "mantel"), (r"trays?", "tray"),
    (r"ground", "ground"), (r"stairs|staircases?|steps", "stairs"), (r"platforms?", "platform"),
    (r"(?:tree )?stumps?", "stump"), (r"logs?", "log"), (r"roof(?:top)?s?", "roof"), (r"sofas?|couch(?:es)?", "sofa"),
    (r"cushions?|pillows?", "cushion"), (r"workbench(?:es)?", "workbench"), (r"dressers?", "dresser"),
    (r"pavement", "sidewalk"), (r"podiums?", "podium"), (r"altars?", "altar"), (r"tiles?", "tile"),
    (r"pebbles", "pebbles"),
)
GENERIC_SURFACE_ON_ONLY = frozenset({"pebbles", "tile", "cushion", "log", "ground", "roof", "sofa", "stairs", "platform", "tray"})


# ---------------------------------------------------------------- everyday words in other languages
# Written from general knowledge (not from the labelled set): the most common household objects,
# animals, food, plants, nature, vehicles and buildings, and the grammar words around them.
# Columns: English | es | fr | it | pt | de | ru (stems: case endings are added) | ja | zh; "/"
# separates forms. `gloss_rules` turns them into GLOSSES entries (plurals and, in German,
# compounds: "Holztisch" ends in "Tisch").
GLOSS_LANGS = ("es", "fr", "it", "pt", "de", "ru", "ja", "zh")
EVERYDAY_NOUNS: tuple[tuple[str, str, str, str, str, str, str, str, str], ...] = (
    ('cat', 'gato/gata', 'chat/chatte', 'gatto/gatta', 'gato/gata', 'Katze/Kater', 'кошк/кот/котён/котик', '猫/ネコ', '猫'),
    ('kitten', 'gatito', 'chaton', 'gattino', 'gatinho', 'Kätzchen', 'котёнк', '子猫', '小猫'),
    ('dog', 'perro/perra', 'chien/chienne', 'cane', 'cão/cães/cachorro', 'Hund', 'собак/пёс/пса', '犬/イヌ', '狗'),
    ('puppy', 'cachorro', 'chiot', 'cucciolo', 'filhote', 'Welpe', 'щен', '子犬', '小狗'),
    ('horse', 'caballo', 'cheval/chevaux', 'cavallo', 'cavalo', 'Pferd', 'лошад/кон', '馬', '马'),
    ('cow', 'vaca', 'vache', 'mucca', 'vaca', 'Kuh/Kühe', 'коров', '牛', '牛'),
    ('sheep', 'oveja', 'mouton', 'pecora', 'ovelha', 'Schaf', 'овц/овец', '羊', '羊'),
    ('bird', 'pájaro/ave', 'oiseau/oiseaux', 'uccello', 'pássaro/ave', 'Vogel/Vögel', 'птиц', '鳥', '鸟'),
    ('owl', 'búho/lechuza', 'hibou/chouette', 'gufo/civetta', 'coruja', 'Eule', 'сов', 'フクロウ', '猫头鹰'),
    ('duck', 'pato', 'canard', 'anatra', 'pato', 'Ente', 'утк/утён', 'アヒル/鴨', '鸭'),
    ('fish', 'pez/peces/pescado', 'poisson', 'pesce', 'peixe', 'Fisch', 'рыб', '魚', '鱼'),
    ('fox', 'zorro', 'renard', 'volpe', 'raposa', 'Fuchs/Füchse', 'лис', 'キツネ/狐', '狐狸'),
    ('wolf', 'lobo', 'loup', 'lupo', 'lobo', 'Wolf/Wölfe', 'волк/волч', 'オオカミ/狼', '狼'),
    ('bear', 'oso', 'ours', 'orso', 'urso', 'Bär', 'медвед', 'クマ/熊', '熊'),
    ('rabbit', 'conejo', 'lapin', 'coniglio', 'coelho', 'Hase/Kaninchen', 'кролик/заяц/зайц', 'ウサギ', '兔'),
    ('deer', 'ciervo/venado', 'cerf/biche', 'cervo', 'veado', 'Hirsch/Reh', 'олен', '鹿', '鹿'),
    ('lion', 'león/leones', 'lion', 'leone', 'leão/leões', 'Löwe', 'льв/лев', 'ライオン', '狮子'),
    ('tiger', 'tigre', 'tigre', 'tigre', 'tigre', 'Tiger', 'тигр', 'トラ', '老虎'),
    ('elephant', 'elefante', 'éléphant', 'elefante', 'elefante', 'Elefant', 'слон', '象', '大象'),
    ('monkey', 'mono', 'singe', 'scimmia', 'macaco', 'Affe', 'обезьян', '猿/サル', '猴'),
    ('butterfly', 'mariposa', 'papillon', 'farfalla', 'borboleta', 'Schmetterling', 'бабочк', '蝶', '蝴蝶'),
    ('bee', 'abeja', 'abeille', 'ape', 'abelha', 'Biene', 'пчел', '蜂', '蜜蜂'),
    ('squirrel', 'ardilla', 'écureuil', 'scoiattolo', 'esquilo', 'Eichhörnchen', 'белк', 'リス', '松鼠'),
    ('turtle', 'tortuga', 'tortue', 'tartaruga', 'tartaruga', 'Schildkröte', 'черепах', '亀/カメ', '乌龟'),
    ('frog', 'rana', 'grenouille', 'rana', 'sapo/rã', 'Frosch', 'лягушк', 'カエル', '青蛙'),
    ('penguin', 'pingüino', 'pingouin/manchot', 'pinguino', 'pinguim', 'Pinguin', 'пингвин', 'ペンギン', '企鹅'),
    ('swan', 'cisne', 'cygne', 'cigno', 'cisne', 'Schwan', 'лебед', '白鳥', '天鹅'),
    ('dragon', 'dragón', 'dragon', 'drago', 'dragão', 'Drache', 'дракон', '竜/ドラゴン', '龙'),
    ('person', 'persona', 'personne', 'persona', 'pessoa', 'Person/Mensch', 'человек/люд', '人', '人'),
    ('man', 'hombre', 'homme', 'uomo/uomini', 'homem/homens', 'Mann/Männer', 'мужчин', '男性/男', '男人'),
    ('woman', 'mujer/mujeres', 'femme', 'donna/donne', 'mulher/mulheres', 'Frau', 'женщин', '女性/女', '女人'),
    ('girl', 'niña/chica', 'fille', 'ragazza/bambina', 'menina/garota', 'Mädchen', 'девочк/девушк', '少女/女の子', '女孩'),
    ('boy', 'niño/chico', 'garçon', 'ragazzo/bambino', 'menino/garoto', 'Junge', 'мальчик', '少年/男の子', '男孩'),
    ('child', 'niño/niños', 'enfant', 'bambini/bambino', 'criança', 'Kind/Kinder', 'ребён/дет', '子供/子ども', '孩子'),
    ('baby', 'bebé', 'bébé', 'neonato', 'bebê', 'Baby', 'младен', '赤ちゃん', '婴儿'),
    ('old man', 'anciano', 'vieil homme', 'anziano', 'idoso', 'alter Mann', 'старик', '老人', '老人'),
    ('family', 'familia', 'famille', 'famiglia', 'família', 'Familie', 'семья/семьи/семью', '家族', '一家人'),
    ('musician', 'músico', 'musicien', 'musicista', 'músico', 'Musiker', 'музыкант', '音楽家', '音乐家'),
    ('chef', 'cocinero', 'cuisinier', 'cuoco', 'cozinheiro', 'Koch', 'повар', 'シェフ', '厨师'),
    ('fisherman', 'pescador', 'pêcheur', 'pescatore', 'pescador', 'Fischer', 'рыбак', '漁師', '渔夫'),
    ('tree', 'árbol/árboles', 'arbre', 'albero/alberi', 'árvore', 'Baum/Bäume', 'дерев', '木/樹', '树'),
    ('flower', 'flor/flores', 'fleur', 'fiore/fiori', 'flor/flores', 'Blume', 'цветок/цветк/цветы', '花', '花'),
    ('rose', 'rosa', 'rose', 'rosa', 'rosa', 'Rose', 'роз', 'バラ', '玫瑰'),
    ('tulip', 'tulipán', 'tulipe', 'tulipano', 'tulipa', 'Tulpe', 'тюльпан', 'チューリップ', '郁金香'),
    ('sunflower', 'girasol', 'tournesol', 'girasole', 'girassol', 'Sonnenblume', 'подсолнух', 'ひまわり', '向日葵'),
    ('plant', 'planta', 'plante', 'pianta', 'planta', 'Pflanze', 'растени', '植物', '植物'),
    ('cactus', 'cactus', 'cactus', 'cactus', 'cacto', 'Kaktus', 'кактус', 'サボテン', '仙人掌'),
    ('leaf', 'hoja', 'feuille', 'foglia', 'folha', 'Blatt/Blätter', 'лист', '葉', '叶子'),
    ('mushroom', 'seta/hongo', 'champignon', 'fungo', 'cogumelo', 'Pilz', 'гриб', 'キノコ', '蘑菇'),
    ('apple', 'manzana', 'pomme', 'mela', 'maçã', 'Apfel/Äpfel', 'яблок', 'りんご/リンゴ', '苹果'),
    ('orange', 'naranja', 'orange', 'arancia', 'laranja', 'Orange', 'апельсин', 'オレンジ', '橙子'),
    ('banana', 'plátano/banana', 'banane', 'banana', 'banana', 'Banane', 'банан', 'バナナ', '香蕉'),
    ('lemon', 'limón/limones', 'citron', 'limone', 'limão/limões', 'Zitrone', 'лимон', 'レモン', '柠檬'),
    ('strawberry', 'fresa', 'fraise', 'fragola', 'morango', 'Erdbeere', 'клубник', 'いちご/イチゴ', '草莓'),
    ('grape', 'uva', 'raisin', 'uva', 'uva', 'Traube', 'виноград', 'ぶどう', '葡萄'),
    ('pear', 'pera', 'poire', 'pera', 'pera', 'Birne', 'груш', '梨', '梨'),
    ('tomato', 'tomate', 'tomate', 'pomodoro', 'tomate', 'Tomate', 'помидор', 'トマト', '番茄'),
    ('bread', 'pan', 'pain', 'pane', 'pão', 'Brot', 'хлеб', 'パン', '面包'),
    ('cake', 'pastel/tarta', 'gâteau/gâteaux', 'torta', 'bolo', 'Kuchen/Torte', 'торт', 'ケーキ', '蛋糕'),
    ('cookie', 'galleta', 'biscuit/cookie', 'biscotto', 'biscoito', 'Keks/Plätzchen', 'печень', 'クッキー', '饼干'),
    ('cheese', 'queso', 'fromage', 'formaggio', 'queijo', 'Käse', 'сыр', 'チーズ', '奶酪'),
    ('egg', 'huevo', 'œuf/oeuf', 'uovo/uova', 'ovo', 'Ei/Eier', 'яйц', '卵', '鸡蛋'),
    ('pizza', 'pizza', 'pizza', 'pizza', 'pizza', 'Pizza', 'пицц', 'ピザ', '披萨'),
    ('soup', 'sopa', 'soupe', 'zuppa', 'sopa', 'Suppe', 'суп', 'スープ', '汤'),
    ('coffee', 'café', 'café', 'caffè', 'café', 'Kaffee', 'коф', 'コーヒー', '咖啡'),
    ('tea', 'té', 'thé', 'tè', 'chá', 'Tee', 'чай', 'お茶/紅茶', '茶'),
    ('wine', 'vino', 'vin', 'vino', 'vinho', 'Wein', 'вин', 'ワイン', '葡萄酒'),
    ('water', 'agua', 'eau', 'acqua', 'água', 'Wasser', 'вод', '水', '水'),
    ('milk', 'leche', 'lait', 'latte', 'leite', 'Milch', 'молок', '牛乳', '牛奶'),
    ('cup', 'taza', 'tasse', 'tazza', 'xícara/caneca', 'Tasse', 'чашк/кружк', 'カップ/マグ', '杯子/杯'),
    ('glass', 'vaso/copa', 'verre', 'bicchiere', 'copo', 'Glas/Gläser', 'стакан/бокал', 'グラス', '玻璃杯'),
    ('bottle', 'botella', 'bouteille', 'bottiglia', 'garrafa', 'Flasche', 'бутылк', '瓶/ボトル', '瓶子'),
    ('plate', 'plato', 'assiette', 'piatto', 'prato', 'Teller', 'тарелк', '皿', '盘子'),
    ('bowl', 'cuenco/tazón/bol', 'bol', 'ciotola', 'tigela', 'Schüssel', 'миск', 'ボウル/お椀', '碗'),
    ('vase', 'jarrón/florero', 'vase', 'vaso', 'vaso', 'Vase', 'ваз', '花瓶', '花瓶'),
    ('basket', 'cesta', 'panier', 'cesto', 'cesta', 'Korb/Körbe', 'корзин', 'かご', '篮子'),
    ('box', 'caja', 'boîte', 'scatola', 'caixa', 'Kiste/Schachtel', 'коробк/ящик', '箱', '盒子'),
    ('book', 'libro', 'livre', 'libro', 'livro', 'Buch/Bücher', 'книг', '本', '书'),
    ('lamp', 'lámpara', 'lampe', 'lampada', 'lâmpada/luminária', 'Lampe', 'ламп', 'ランプ/電灯', '灯'),
    ('candle', 'vela', 'bougie', 'candela', 'vela', 'Kerze', 'свеч', 'ろうそく/キャンドル', '蜡烛'),
    ('lantern', 'farol/linterna', 'lanterne', 'lanterna', 'lanterna', 'Laterne', 'фонар', '提灯/ランタン', '灯笼'),
    ('clock', 'reloj', 'horloge', 'orologio', 'relógio', 'Uhr', 'час', '時計', '钟'),
    ('watch', 'reloj de pulsera', 'montre', 'orologio da polso', 'relógio de pulso', 'Armbanduhr', 'наручные час', '腕時計', '手表'),
    ('phone', 'teléfono/móvil', 'téléphone', 'telefono', 'telefone/celular', 'Handy/Telefon', 'телефон', '電話/スマホ', '手机'),
    ('laptop', 'portátil', 'ordinateur portable', 'portatile', 'notebook', 'Laptop', 'ноутбук', 'ノートパソコン', '笔记本电脑'),
    ('camera', 'cámara', 'appareil photo', 'fotocamera', 'câmera', 'Kamera', 'камер', 'カメラ', '相机'),
    ('chair', 'silla', 'chaise', 'sedia', 'cadeira', 'Stuhl/Stühle', 'стул', '椅子', '椅子'),
    ('armchair', 'sillón', 'fauteuil', 'poltrona', 'poltrona', 'Sessel', 'кресл', '肘掛け椅子', '扶手椅'),
    ('sofa', 'sofá', 'canapé', 'divano', 'sofá', 'Sofa', 'диван', 'ソファ', '沙发'),
    ('bed', 'cama', 'lit', 'letto', 'cama', 'Bett', 'кроват', 'ベッド', '床'),
    ('window', 'ventana', 'fenêtre', 'finestra', 'janela', 'Fenster', 'окн', '窓', '窗户'),
    ('door', 'puerta', 'porte', 'porta', 'porta', 'Tür', 'двер', 'ドア/扉', '门'),
    ('mirror', 'espejo', 'miroir', 'specchio', 'espelho', 'Spiegel', 'зеркал', '鏡', '镜子'),
    ('guitar', 'guitarra', 'guitare', 'chitarra', 'violão/guitarra', 'Gitarre', 'гитар', 'ギター', '吉他'),
    ('piano', 'piano', 'piano', 'pianoforte', 'piano', 'Klavier', 'пианино/рояль', 'ピアノ', '钢琴'),
    ('umbrella', 'paraguas', 'parapluie', 'ombrello', 'guarda-chuva', 'Regenschirm', 'зонт', '傘', '伞'),
    ('hat', 'sombrero', 'chapeau', 'cappello', 'chapéu', 'Hut', 'шляп', '帽子', '帽子'),
    ('bag', 'bolso', 'sac', 'borsa', 'bolsa', 'Tasche', 'сумк', 'バッグ/鞄', '包'),
    ('shoe', 'zapato', 'chaussure', 'scarpa', 'sapato', 'Schuh', 'туфл/ботин', '靴', '鞋'),
    ('key', 'llave', 'clé', 'chiave', 'chave', 'Schlüssel', 'ключ', '鍵', '钥匙'),
    ('ball', 'pelota/balón', 'ballon/balle', 'palla/pallone', 'bola', 'Ball/Bälle', 'мяч', 'ボール', '球'),
    ('balloon', 'globo', 'ballon', 'palloncino', 'balão', 'Luftballon', 'воздушн шар', '風船', '气球'),
    ('kite', 'cometa', 'cerf-volant', 'aquilone', 'pipa', 'Drachen', 'воздушн зме', '凧', '风筝'),
    ('toy', 'juguete', 'jouet', 'giocattolo', 'brinquedo', 'Spielzeug', 'игрушк', 'おもちゃ', '玩具'),
    ('robot', 'robot', 'robot', 'robot', 'robô', 'Roboter', 'робот', 'ロボット', '机器人'),
    ('statue', 'estatua', 'statue', 'statua', 'estátua', 'Statue', 'стату', '像', '雕像'),
    ('car', 'coche/auto/carro', 'voiture', 'auto/macchina', 'carro', 'Auto/Wagen', 'машин/автомобил', '車/自動車', '汽车/车'),
    ('bus', 'autobús', 'bus', 'autobus', 'ônibus', 'Bus', 'автобус', 'バス', '公交车'),
    ('train', 'tren', 'train', 'treno', 'trem', 'Zug/Züge', 'поезд', '電車/列車', '火车'),
    ('bicycle', 'bicicleta', 'vélo/bicyclette', 'bicicletta', 'bicicleta', 'Fahrrad', 'велосипед', '自転車', '自行车'),
    ('motorcycle', 'moto', 'moto', 'moto', 'moto', 'Motorrad', 'мотоцикл', 'バイク', '摩托车'),
    ('boat', 'barco/barca', 'bateau/barque', 'barca/barchetta', 'barco', 'Boot', 'лодк', '船/ボート', '船'),
    ('ship', 'buque/navío', 'navire', 'nave', 'navio', 'Schiff', 'корабл', '船舶', '轮船'),
    ('airplane', 'avión', 'avion', 'aereo', 'avião', 'Flugzeug', 'самолёт/самолет', '飛行機', '飞机'),
    ('truck', 'camión', 'camion', 'camion', 'caminhão', 'Lastwagen', 'грузовик', 'トラック', '卡车'),
    ('house', 'casa', 'maison', 'casa', 'casa', 'Haus/Häuser', 'дом', '家', '房子'),
    ('cabin', 'cabaña', 'cabane', 'capanna/baita', 'cabana', 'Hütte', 'хижин', '小屋', '小屋'),
    ('castle', 'castillo', 'château', 'castello', 'castelo', 'Burg/Schloss', 'замок/замк', '城', '城堡'),
    ('church', 'iglesia', 'église', 'chiesa', 'igreja', 'Kirche', 'церковь/церкви', '教会', '教堂'),
    ('temple', 'templo', 'temple', 'tempio', 'templo', 'Tempel', 'храм', '寺/神社', '寺庙'),
    ('tower', 'torre', 'tour', 'torre', 'torre', 'Turm', 'башн', '塔', '塔'),
    ('lighthouse', 'faro', 'phare', 'faro', 'farol', 'Leuchtturm', 'маяк', '灯台', '灯塔'),
    ('bridge', 'puente', 'pont', 'ponte', 'ponte', 'Brücke', 'мост', '橋', '桥'),
    ('building', 'edificio', 'bâtiment/immeuble', 'edificio/palazzo', 'edifício/prédio', 'Gebäude', 'здани', '建物/ビル', '建筑/大楼'),
    ('windmill', 'molino', 'moulin', 'mulino', 'moinho', 'Windmühle', 'мельниц', '風車', '风车'),
    ('fountain', 'fuente', 'fontaine', 'fontana', 'fonte/chafariz', 'Brunnen', 'фонтан', '噴水', '喷泉'),
    ('mountain', 'montaña', 'montagne', 'montagna', 'montanha', 'Berg', 'гор', '山', '山'),
    ('hill', 'colina', 'colline', 'collina', 'colina', 'Hügel', 'холм', '丘', '山丘'),
    ('lake', 'lago', 'lac', 'lago', 'lago', 'See', 'озер', '湖', '湖'),
    ('river', 'río', 'rivière/fleuve', 'fiume', 'rio', 'Fluss/Flüsse', 'рек', '川', '河'),
    ('waterfall', 'cascada', 'cascade', 'cascata', 'cachoeira', 'Wasserfall', 'водопад', '滝', '瀑布'),
    ('volcano', 'volcán', 'volcan', 'vulcano', 'vulcão', 'Vulkan', 'вулкан', '火山', '火山'),
    ('moon', 'luna', 'lune', 'luna', 'lua', 'Mond', 'лун', '月', '月亮'),
    ('rainbow', 'arcoíris', 'arc-en-ciel', 'arcobaleno', 'arco-íris', 'Regenbogen', 'радуг', '虹', '彩虹'),
    ('cloud', 'nube', 'nuage', 'nuvola', 'nuvem', 'Wolke', 'облак/туч', '雲', '云'),
    ('wave', 'ola', 'vague', 'onda', 'onda', 'Welle', 'волн', '波', '海浪'),
    ('rock', 'roca/piedra', 'rocher/pierre', 'roccia/sasso', 'rocha/pedra', 'Felsen/Stein', 'скал/камен', '岩', '岩石'),
    ('table', 'mesa', 'table', 'tavolo/tavola', 'mesa', 'Tisch', 'стол', 'テーブル/机', '桌子/桌'),
    ('desk', 'escritorio', 'bureau', 'scrivania', 'escrivaninha', 'Schreibtisch', 'письменн стол', 'デスク', '书桌'),
    ('shelf', 'estante/repisa', 'étagère', 'mensola/scaffale', 'prateleira/estante', 'Regal', 'полк', '棚', '架子'),
    ('floor', 'suelo/piso', 'sol/plancher', 'pavimento', 'chão', 'Boden', 'пол', '床', '地板'),
    ('wall', 'pared/muro', 'mur', 'muro/parete', 'parede/muro', 'Wand/Mauer', 'стен', '壁', '墙'),
    ('street', 'calle', 'rue', 'strada', 'rua', 'Straße', 'улиц', '通り/道', '街道/街'),
    ('road', 'carretera/camino', 'route', 'strada', 'estrada', 'Weg', 'дорог', '道路', '路'),
    ('bench', 'banco', 'banc', 'panchina', 'banco', 'Bank', 'скамейк', 'ベンチ', '长椅'),
    ('grass', 'hierba/césped', 'herbe/pelouse', 'erba/prato', 'grama/relva', 'Gras/Rasen', 'трав', '草', '草地'),
    ('sand', 'arena', 'sable', 'sabbia', 'areia', 'Sand', 'песк/песок', '砂', '沙'),
    ('counter', 'mostrador/encimera', 'comptoir', 'bancone', 'balcão', 'Theke', 'прилавк', 'カウンター', '柜台'),
    ('windowsill', 'alféizar', 'rebord', 'davanzale', 'parapeito', 'Fensterbank', 'подоконник', '窓辺', '窗台'),
    ('forest', 'bosque', 'forêt', 'foresta/bosco', 'floresta', 'Wald/Wälder', 'лес', '森', '森林'),
    ('beach', 'playa', 'plage', 'spiaggia', 'praia', 'Strand', 'пляж', '浜辺/ビーチ', '海滩'),
    ('field', 'campo', 'champ', 'campo', 'campo', 'Feld/Wiese', 'пол/луг', '野原/畑', '田野'),
    ('garden', 'jardín', 'jardin', 'giardino', 'jardim', 'Garten', 'сад', '庭', '花园'),
    ('city', 'ciudad', 'ville', 'città', 'cidade', 'Stadt/Städte', 'город', '都市/街', '城市'),
    ('village', 'pueblo/aldea', 'village', 'villaggio', 'aldeia/vila', 'Dorf', 'деревн', '村', '村庄'),
    ('sea', 'mar', 'mer', 'mare', 'mar', 'Meer', 'мор', '海', '大海'),
    ('sky', 'cielo', 'ciel', 'cielo', 'céu', 'Himmel', 'неб', '空', '天空'),
    ('sun', 'sol', 'soleil', 'sole', 'sol', 'Sonne', 'солнц', '太陽', '太阳'),
    ('star', 'estrella', 'étoile', 'stella', 'estrela', 'Stern', 'звезд', '星', '星星'),
    ('island', 'isla', 'île', 'isola', 'ilha', 'Insel', 'остров', '島', '岛'),
    ('desert', 'desierto', 'désert', 'deserto', 'deserto', 'Wüste', 'пустын', '砂漠', '沙漠'),
    ('kitchen', 'cocina', 'cuisine', 'cucina', 'cozinha', 'Küche', 'кухн', '台所/キッチン', '厨房'),
    ('room', 'habitación', 'chambre/pièce', 'stanza', 'quarto/sala', 'Zimmer/Raum', 'комнат', '部屋', '房间'),
    ('cliff', 'acantilado', 'falaise', 'scogliera', 'penhasco/falésia', 'Klippe', 'утёс/обрыв', '崖', '悬崖'),
    ('harbor', 'puerto', 'port', 'porto', 'porto', 'Hafen', 'гаван/порт', '港', '港口'),
    ('snowman', 'muñeco de nieve', 'bonhomme de neige', 'pupazzo di neve', 'boneco de neve', 'Schneemann', 'снегович', '雪だるま', '雪人'),
)
FUNCTION_GLOSSES: tuple[tuple[str, str, str, str, str, str, str, str, str], ...] = (
    ('on', 'sobre/encima de/en la superficie de', 'sur', 'su/sul/sulla/sui/sopra', 'sobre/em cima de', 'auf/auf dem/auf der', 'на', '', ''),
    ('under', 'debajo de/bajo', 'sous', 'sotto', 'debaixo de/sob', 'unter', 'под', '', ''),
    ('beside', 'junto a/al lado de/cerca de', 'à côté de/près de', 'accanto a/vicino a', 'ao lado de/perto de', 'neben', 'рядом с/возле/около', '', ''),
    ('behind', 'detrás de', 'derrière', 'dietro', 'atrás de', 'hinter', 'за', '', ''),
    ('in front of', 'delante de/frente a', 'devant', 'davanti a', 'em frente a/na frente de', 'vor', 'перед', '', ''),
    ('between', 'entre', 'entre', 'tra/fra', 'entre', 'zwischen', 'между', '', ''),
    ('above', 'encima de/por encima de', 'au-dessus de', 'sopra', 'acima de', 'über', 'над', '', ''),
    ('in', 'en/dentro de', 'dans/en', 'in/nel/nella/nei/dentro', 'em/no/na/nos/nas/dentro de', 'in/im', 'в/во', '', ''),
    ('with', 'con', 'avec', 'con', 'com', 'mit', 'с/со', '', ''),
    ('during', 'durante', 'pendant', 'durante', 'durante', 'während', 'во время', '', ''),
    ('two', 'dos', 'deux', 'due', 'dois/duas', 'zwei', 'два/две', '二つの/2つの', '两'),
    ('three', 'tres', 'trois', 'tre', 'três', 'drei', 'три', '三つの/3つの', '三'),
    ('four', 'cuatro', 'quatre', 'quattro', 'quatro', 'vier', 'четыре', '四つの', '四'),
    ('five', 'cinco', 'cinq', 'cinque', 'cinco', 'fünf', 'пять', '五つの', '五'),
    ('at sunset', 'al atardecer/puesta de sol', 'au coucher du soleil', 'al tramonto/tramonto', 'ao pôr do sol/pôr do sol', 'bei Sonnenuntergang/Sonnenuntergang', 'на закате/закат', '夕焼け/夕暮れ/日没', '日落/夕阳'),
    ('at dawn', 'al amanecer', "à l'aube/au lever du soleil", "all'alba", 'ao amanhecer', 'im Morgengrauen/bei Sonnenaufgang', 'на рассвете/рассвет', '夜明け/朝焼け', '黎明/日出'),
    ('at night', 'de noche/por la noche', 'la nuit/de nuit', 'di notte', 'à noite', 'in der Nacht/nachts', 'ночью/ночь', '夜', '夜晚/夜里/晚上'),
    ('in the morning', 'por la mañana', 'le matin', 'al mattino', 'de manhã', 'am Morgen', 'утром', '朝', '早晨'),
    ('in the evening', 'por la tarde', 'le soir', 'di sera', 'à tarde', 'am Abend', 'вечером', '夕方', '傍晚'),
    ('rain', 'lluvia/lluvioso', 'pluie/pluvieux', 'pioggia/piovoso', 'chuva/chuvoso', 'Regen', 'дожд', '雨', '雨'),
    ('snow', 'nieve/nevado', 'neige/enneigé', 'neve/innevato', 'neve', 'Schnee', 'снег', '雪', '雪'),
    ('fog', 'niebla', 'brouillard/brume', 'nebbia', 'nevoeiro/névoa', 'Nebel', 'туман', '霧', '雾'),
    ('storm', 'tormenta', 'tempête/orage', 'tempesta', 'tempestade', 'Sturm/Gewitter', 'гроз/бур', '嵐', '暴风雨'),
    ('red', 'rojo/roja', 'rouge', 'rosso/rossa', 'vermelho/vermelha', 'rot/rote/roter/rotes', 'красн', '赤い', '红色/红'),
    ('blue', 'azul', 'bleu/bleue', 'blu', 'azul', 'blau/blaue/blauer', 'син', '青い', '蓝色'),
    ('green', 'verde', 'vert/verte', 'verde', 'verde', 'grün/grüne', 'зелён/зелен', '緑の', '绿色'),
    ('yellow', 'amarillo/amarilla', 'jaune', 'giallo/gialla', 'amarelo/amarela', 'gelb/gelbe', 'жёлт/желт', '黄色い', '黄色'),
    ('white', 'blanco/blanca', 'blanc/blanche', 'bianco/bianca', 'branco/branca', 'weiß/weiße', 'бел', '白い', '白色'),
    ('black', 'negro/negra', 'noir/noire', 'nero/nera', 'preto/preta', 'schwarz/schwarze', 'чёрн/черн', '黒い', '黑色'),
    ('old', 'viejo/vieja/antiguo', 'vieux/vieille/ancien', 'vecchio/vecchia/antico', 'velho/velha/antigo', 'alt/alte/alter/altes', 'стар', '古い', '旧'),
    ('small', 'pequeño/pequeña', 'petit/petite', 'piccolo/piccola', 'pequeno/pequena', 'klein/kleine', 'маленьк', '小さな', '小'),
    ('wooden', 'de madera', 'en bois', 'di legno', 'de madeira', 'aus Holz/hölzern', 'деревянн', '木製の', '木制/木头'),
    ('glass', 'de vidrio/de cristal', 'en verre', 'di vetro', 'de vidro', 'aus Glas', 'стеклянн', 'ガラスの', '玻璃'),
    ('stone', 'de piedra', 'en pierre', 'di pietra', 'de pedra', 'aus Stein', 'каменн', '石の', '石头'),
    ('marble', 'de mármol', 'en marbre', 'di marmo', 'de mármore', 'aus Marmor', 'мраморн', '大理石の', '大理石'),
)
_RU_ENDINGS = r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|ами|ями|ах|ях|ам|ям|ов|ев|ей|ья|ье|ьев|ьями|ок|ек|ец|ка|ки|ку|ке|а|я|ы|и|у|ю|е|о|ь|ью)?"
_PLURAL = {"es": r"(?:es|s)?", "fr": r"(?:s|x)?", "it": "", "pt": r"(?:s|es)?", "de": r"(?:e|en|n|er|s|es|nen)?"}
_IT_PLURAL = {"o": "[oi]", "a": "[ae]", "e": "[ei]"}


def _form(lang: str, form: str, noun: bool) -> str:
    escaped = re.escape(form)
    if lang == "ru":
        if not noun and " " not in form and len(form) <= 3 and form in ("на", "под", "за", "перед", "над", "в", "во", "с", "со", "между", "возле", "около"):
            return escaped
        return r"\s+".join(re.escape(w) + _RU_ENDINGS for w in form.split())
    if lang in ("ja", "zh"):
        return escaped
    if not noun:
        return escaped.replace(r"\ ", r"\s+")
    if lang == "it" and form[-1] in _IT_PLURAL and " " not in form:
        return re.escape(form[:-1]) + _IT_PLURAL[form[-1]]
    pattern = escaped.replace(r"\ ", r"\s+") + _PLURAL.get(lang, "")
    if lang == "de" and len(form) >= 4 and " " not in form:
        pattern = r"\w{0,20}?" + pattern  # a compound ends in its head noun
    return pattern


def gloss_rules(lang: str) -> tuple[tuple[str, str], ...]:
    """(pattern, English) for the everyday words of one language, longest forms first."""
    col = GLOSS_LANGS.index(lang) + 1
    out = []
    for table, noun in ((EVERYDAY_NOUNS, True), (FUNCTION_GLOSSES, False)):
        for row in table:
            english = row[0]
            for form in filter(None, row[col].split("/")):
                out.append((len(form), _form(lang, form, noun), english))
    out.sort(key=lambda r: -r[0])
    return tuple((p, e) for _, p, e in out)


_COUNTERS = {"ja": "匹|つ|本|台|羽|個|枚|頭|人|冊|杯|脚|軒|輪", "zh": "只|个|辆|条|张|把|本|朵|棵|座|头|匹|位|块|杯|瓶|盏|艘|片|支|盆|双|间|栋|群"}
_DIGITS = {"一": "a", "二": "two", "两": "two", "三": "three", "四": "four", "五": "five", "六": "six", "七": "seven", "八": "eight", "九": "nine", "十": "ten"}


def counter_rules(lang: str) -> tuple[tuple[str, str], ...]:
    """Chinese and Japanese numbers with a counter ("三只", "二匹の") -> English number words."""
    if lang not in _COUNTERS:
        return ()
    tail = "の?" if lang == "ja" else ""
    return tuple((f"{d}(?:{_COUNTERS[lang]}){tail}", f" {w} ") for d, w in _DIGITS.items())


# Word order: where the particles say it, "X の上に Y" / "Y が X の上に" / "Y 在 X 上" / "X 上有 Y" -> "Y on X".
_JA_PLACES = {"上": "on", "下": "under", "横": "beside", "隣": "beside", "そば": "beside", "前": "in front of", "後ろ": "behind", "中": "in"}
_ZH_PLACES = {"上面": "on", "上": "on", "下面": "under", "下": "under", "旁边": "beside", "旁": "beside", "前面": "in front of",
              "后面": "behind", "里面": "in", "里": "in", "中": "in"}
_CLAUSE = "[^、。,，]"
GLOSS_ORDER_GENERAL: dict[str, tuple[tuple[str, str, str], ...]] = {
    "ja": tuple(
        (f"の{w}", rf"({_CLAUSE}+?)が({_CLAUSE}+?)の{w}(?:に|で)", rf"\1 {rel} \2 ") for w, rel in _JA_PLACES.items()
    ) + tuple(
        (f"の{w}", rf"({_CLAUSE}+?)の{w}(?:に|で|の)({_CLAUSE}+)", rf"\2 {rel} \1") for w, rel in _JA_PLACES.items()
    ),
    "zh": tuple(
        ("在", rf"在({_CLAUSE}+?){w}", rf" {rel} \1 ") for w, rel in _ZH_PLACES.items()
    ) + tuple(
        (f"{w}有", rf"({_CLAUSE}+?){w}有({_CLAUSE}+)", rf"\2 {rel} \1") for w, rel in _ZH_PLACES.items()
    ),
}
