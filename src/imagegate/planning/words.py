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
    "es": frozenset("el los las una unos unas con sobre del y al junto lado de en la noche".split()),
    "fr": frozenset("le les une des sur avec du au et dans devant aux la l".split()),
    "de": frozenset("der die das ein eine einer einem einen mit auf im bei und neben vor unter".split()),
    "it": frozenset("il lo gli una su sul sulla con di della e sotto accanto che un all al d".split()),
    "pt": frozenset("o os um uma numa num com ao do da na no e sob lado".split()),
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
