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
              r"|lotus|blossoms?|(?:potted )?plants?"
              # the plant, not the colour: "a sprig of lavender", "lavender fields" ("a lavender dress" is a dress)
              r"|lavender(?=\s*(?:[^\w\s]|$)|\s+(?:and|or|in|on|at|with|under|beside|near|by|fields?|flowers?|bush(?:es)?|plants?|sprigs?|rows?)\b)",
    "mountain": r"mountains?|peaks?|alps|volcano(?:es)?|hills?|ridges?|mesas?|valle(?:y|ys)",
    "water": r"lakes?|rivers?|ponds?|streams?|canals?|waterfalls?|puddles?|waves?",
    "sky": r"moon|rainbows?|clouds|lightning|milky way|northern lights",
    "sign": r"signs?|signboards?|billboards?|banners?|chalkboards?|blackboards?|whiteboards?|posters?|stickers?|cards?",
    "object": r"(?:space|gas|petrol|fire|police|charging|weather) stations?|(?:charging|display|guitar|violin|pencil|jewelry|jewellery|phone|glass) cases?|(?:string|fairy|christmas|party) lights|sneakers?|shoes?|bags?|handbags?|backpacks?|headphones|laptops?|cameras?|lamps?|chairs?|vases?"
              r"|books?|apples?|cakes?|gift box(?:es)?|boxes|candles?|rings?|necklaces?|jewel(?:le)?ry|sunglasses"
              r"|guitars?|robots?|jars?|teapots?|bowls?|chocolates?|pens?|keys?|globes?|trophy|trophies"
              r"|windows?|doors?|pancakes?|blueberr(?:y|ies)|plates?|ramen|chopsticks|cupcakes?|branch(?:es)?|hands?"
              r"|pianos?|paths?|sandcastles?|pizzas?|boards?|glass(?:es)?|kites?|crates?|cribs?"
              r"|cans?(?= of)|(?<=the )can|ice(?! cream)(?: cubes?| floes?)?|hammocks?|saxophones?|records?|juice|pedestals?"
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
    (r"beds?", "bed"), (r"silk|velvet|satin|linen", "fabric"), (r"ice(?! (?:cubes?|floes?|cream))", "ice"), (r"moon", "moon"), (r"sand", "sand"),
)
SURFACE_ON_ONLY = frozenset({"fabric", "ice", "moon", "sand", "mirror", "bed"})

# Materials, in a noun phrase ("glass vase", "wooden table") or after it ("of wood"): word -> material.
MATERIALS: dict[str, str] = {
    "glass": "glass", "ceramic": "ceramic", "porcelain": "porcelain", "leather": "leather", "wood": "wood",
    "wooden": "wood", "oak": "wood", "walnut": "walnut", "timber": "wood", "marble": "marble", "gold": "gold",
    "golden": "gold", "silver": "silver", "brick": "brick", "stone": "stone", "concrete": "concrete", "paper": "paper",
    "cardboard": "cardboard", "velvet": "velvet", "silk": "silk", "linen": "linen", "satin": "satin",
    "crystal": "crystal", "bamboo": "bamboo", "steel": "steel", "metal": "metal", "iron": "iron", "copper": "copper",
    "plastic": "plastic", "asphalt": "asphalt", "gravel": "gravel", "cobblestone": "cobblestone", "granite": "granite",
    # from general knowledge: metals, woods, ceramics, fabrics and other common materials, by their own name
    "brass": "brass", "bronze": "bronze", "zinc": "zinc", "tin": "tin", "aluminum": "aluminum", "aluminium": "aluminum",
    "chrome": "chrome", "titanium": "titanium", "pewter": "pewter", "stainless": "steel",
    "mahogany": "mahogany", "teak": "teak", "cedar": "cedar", "rattan": "rattan", "wicker": "wicker", "cork": "cork",
    "terracotta": "terracotta", "clay": "clay", "earthenware": "ceramic", "stoneware": "ceramic", "enamel": "enamel",
    "enamelled": "enamel", "enameled": "enamel", "acrylic": "acrylic", "resin": "resin", "rubber": "rubber",
    "denim": "denim", "wool": "wool", "woolen": "wool", "woollen": "wool", "knitted": "wool",
    "cotton": "cotton", "felt": "felt", "tweed": "tweed", "suede": "suede", "lace": "lace",
    "burlap": "burlap", "jute": "jute", "wax": "wax", "tiled": "tile", "tile": "tile",
}

# Relation words: pattern -> relation (imagegate.plan.RELATIONS); "holding" reads the other way round.
RELATION_RULES: tuple[tuple[str, str], ...] = (
    (r"in front of|in front(?= *(?:[,.;:!?]|$))", "in front of"), (r"behind|in back of", "behind"),
    (r"next to|beside|alongside|side by side with|by the side of|near(?= (?:a|an|the|his|her|its|their)\b)|(?<![a-z]ed )(?<![a-z]en )(?<!made )(?<!lit )(?<!shot )(?<!drawn )(?<!held )(?<!taken )(?<!sewn )by(?= (?:a|an|the)\b)|(?:tied|locked|chained|moored|docked|leashed|hitched|tethered) to", "beside"),
    (r"under(?:neath)?|beneath|below|(?:hanging|dangling|suspended|swinging) from", "under"), (r"above|overhead(?= *(?:[,.;:!?]|$))|over|atop", "above"),
    (r"on top of|on top(?= *(?:[,.;:!?]|$))|(?:draped|hung|thrown|slung|folded|spread|tossed|laid) over|riding|astride|hanging (?:on|at|to)|(?:pinned|attached|taped|nailed|glued|stuck|clipped|fixed|mounted|hung|sewn|stitched) (?:to|on|onto)|on|onto|upon|crossing|across", "on"), (r"inside|in|into|within", "in"),
    (r"between", "between"), (r"leaning against|against", "against"),
    (r"held (?:by|in)|carried by|clutched by", "held by"),
    (r"holding|carrying|holds|walking with|hugging|clutching|cradling|gripping|wielding"
     r"|(?:reading|playing|strumming)(?= (?:a|an|the|his|her|their)\b)", "holds"),
)

TIME_RULES: tuple[tuple[str, str], ...] = (  # first match wins
    (r"\bgolden hour", "golden hour"), (r"\bsunset|\bsundown|\bsetting sun", "sunset"),
    (r"\bdawn\b|\bsunrise|\bdaybreak|\bfirst light", "dawn"), (r"\bdusk\b|\btwilight|\bevening|\bblue hour", "dusk"),
    (r"\bnight(?!stand)|\bmidnight|\b(?:[1-4]|12) ?a\.?m\b|\bstarry|\bmoon ?lit|\bmoonlight|\bfull moon|\bnorthern lights|\bmilky way", "night"),
    (r"\bnoon\b|\bmidday", "noon"), (r"\bafternoon", "afternoon"), (r"\bmorning|\bbreakfast time", "morning"),
)
WEATHER_RULES: tuple[tuple[str, str], ...] = (  # first match wins
    (r"\bstorm|\bthunder|\blightning", "storm"),
    (r"\bsnow(?![- ]?(?:capped|leopards?|owls?|globes?|peaks?)\b)|\bwinter\b|\bfrost(?:y|ed)?\b|\bblizzard", "snow"),
    (r"\brain(?:y|ing|drops?)?\b|\bwet (?:streets?|asphalt|roads?|cobblestones?|pavement|plaza|square|sidewalk|pier|deck)|\bpuddles?\b|\bdrizzl", "rain"),
    (r"\bmist|\bfog|(?<!heat )\bhaz[ey]", "mist"),
    (r"\bovercast|\bcloudy|\bgr[ae]y sk(?:y|ies)|\bleaden sk|\bgloomy sk", "overcast"),
    (r"\bsunny|\bclear (?:\w+ ){0,2}sky|\bclear (?:day|night|weather)|\bblue sky|\bcloudless", "clear"),
)
EFFECT_RULES: tuple[tuple[str, str], ...] = (
    (r"\breflect(?:ion|ions|ed|ing)?\b|\bmirrored", "reflection"), (r"\bshadows?\b", "shadow"),
    (r"\bglow(?:s|ing)?\b|\bneon\b|\bneon-lit|\bspotlight|\bluminous|\billuminated|\bfairy lights|\bstring lights|\blit up|\bflicker(?:s|ing)?\b|\blit (?:windows?|candles?|lanterns?|lamps?|signs?)\b|\bwarm (?:lamp)?light\b|\blamplight|\bfireflies\b", "glow"), (r"\bsteam(?:s|ing|y)?\b|\bvapou?r\b", "steam"),
    (r"\bsmoke\b|\bsmoky|\bsmoking chimney", "smoke"), (r"\bsparkl\w*|\bglitter|\bsparks\b|\bembers\b", "sparkle"),
    (r"\brays of (?:the )?(?:light|sun|sunlight)|\b(?:light|sun|sunlight) ?rays|\bsun ?beams?|\bgod rays|\blight beams|\bbeams of (?:light|sunlight)"
     r"|\b(?:sun|sunlight|light|moonlight) (?:streaming|pouring|filtering|shining|piercing) (?:through|in|into|down)|\bshafts? of (?:sun|moon)?light|\bcrepuscular", "light rays"), (r"\bmotion blur|\bmotion-blurred|\bblurr(?:ed|ing) (?:as|while) (?:they|it|he|she|people) (?:pass|move|walk|rush|hurry|go)", "motion blur"),
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
for _w in ("tag badge patch notebook tube flag plaque receipt ticket envelope letter postcard magnet keychain pin button hoodie"
           " sweatshirt cap hat tote pillow cushion napkin ribbon balloon kite van bus boat crate barrel sack tin packet package"
           " carton glass jersey smartwatch laptop tablet journal diary sketchbook scroll awning marquee scoreboard tombstone"
           " gravestone trophy medal plate mat doormat apron jacket logo storefront chalkboard placard stamp coin").split():
    CARRIER_NOUNS.setdefault(_w, _w)  # from general knowledge: things text is written on
CARRIER_NOUNS.setdefault("tags", "tag")
CARRIER_NOUNS.setdefault("phone", "phone")
SURFACE_CARRIERS = frozenset({"wall", "window", "door", "logo"})  # only when nothing else is named

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
for _lang, _more in {  # more grammar words of each language, from general knowledge
    "es": "un está están muy para por hacia sus lo se del al unos encima junto", "fr": "de un deux trois est qui à au ses son sa en d l dans sous",
    "it": "dei degli del alla allo ai nel per è tra due sul sullo", "pt": "ao à pelo pela dois duas é seu sua num numa"}.items():
    LATIN_HINTS[_lang] = LATIN_HINTS[_lang] | frozenset(_more.split())
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
        (r"海报", " poster "), (r"写着", " with the text "), (r"灯笼", " lanterns "), (r"的", " "),
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
sparkles bokeh flare silhouette silhouettes ray rays beam beams sunbeam sunbeams time day days night nights morning evening afternoon
noon dawn dusk sunset sunsets sunrise twilight hour hours moment season winter summer spring autumn fall weather rain
snow fog mist haze storm sunlight daylight moonlight candlelight starlight sun sky skies kitchen forest beach city
garden park office cafe room bedroom interior studio landscape cityscape seascape world nature environment version
type kind sort variety lot lots number pair couple group set bunch row rows line lines series dozen piece bit hint
touch sense feeling emotion expression energy theme concept idea campaign advertisement ad ads poster banner flyer
cover wallpaper thumbnail postcard menu icon brand product item items object objects thing things stuff element
elements subject subjects way use size shape shapes pattern patterns surface material materials finish mode effect
effects highlight highlights accent accents realism photorealism film grain noise vignette tilt close-up closeup
macro portrait headshot selfie viewpoint eye level degree degrees inch minimalism simplicity warmth glowing center
middle ground midground distance horizon air sound music love peace joy beauty life death fire water sea ocean lake river
cinematic hd ultra k resolution anime cartoon vector pixel watercolor oil pencil ink charcoal depiction rendering
depth-of-field shallow scale proportion proportions position placement direction motion movement speed action
wide close medium full half-body body-shot spread page pages slide template mockup mock-up version edition
reads says read label labels name names phrase quote movie film birthday festival party celebration wedding
picnic holiday calm dark pastel bright desert marsh harbor harbour meadow jungle island valley mountains hills
swamp countryside village town downtown street streets urban suburb skyline spotlight headlight headlights
flock stack herd pile bunch bouquet swarm cluster handful school crowd collection assortment array heap
rule entrance exit backyard yard loaf slice guard case rim lid handle strap dial bezel cap base stem tip surface texture finish glare sheen
end station hall corridor library cellar shop store piazza plaza warehouse attic lobby hallway ballroom workshop
savanna savannah lagoon canyon rainforest gym closet pantry garage basement classroom bathroom hospital bakery supermarket
airport terrace neon blizzard haze pack packs market markets old young small big spark sparks drop drops weekend week month year today tonight history future past story sign signs words dream dreams magic wonder
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
              " toddler teenager grandma grandpa mom dad warrior ninja cowboy witch fairy angel clown"
              " mechanic barista florist beekeeper welder carpenter plumber electrician nurse doctor receptionist"
              " cellist violinist pianist guitarist drummer cashier librarian lifeguard janitor tailor potter"
              " blacksmith jeweler butcher keeper shepherd diver scuba monk nun priest commuter pedestrian"
              " passenger customer shopper student professor judge chemist pharmacist vet courier postman",
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
    # (a bench or a railing is drawn as a thing of its own: "an old man on a park bench", "bikes against a railing")
    (r"ledges?", "ledge"), (r"mantel(?:piece)?s?", "mantel"),
    (r"ground", "ground"), (r"stairs|staircases?|steps?", "stairs"), (r"platforms?", "platform"),
(r"roof(?:top)?s?", "roof"), (r"sofas?|couch(?:es)?", "sofa"),
    (r"workbench(?:es)?", "workbench"), (r"dressers?", "dresser"),
    (r"pavement", "sidewalk"), (r"podiums?", "podium"), (r"altars?", "altar"), (r"tiles?", "tile"),
    (r"pebbles", "pebbles"),
    # from general knowledge: more things that subjects lie, stand or sit on
    (r"cloths?", "cloth"), (r"(?:beach |bath )?towels?", "towel"), (r"bookshel(?:f|ves)|bookcases?", "bookshelf"),
    (r"glaciers?", "glacier"), (r"river ?banks?", "riverbank"), (r"terraces?|patios?", "terrace"),
    (r"(?:gravel |dirt |garden |stone |forest )?paths?|footpaths?|trails?", "path"), (r"parking lots?|car parks?", "parking lot"),
    (r"sea ?floor|sea ?bed|ocean floor", "seabed"), (r"(?:slate |cheese |serving |chopping )boards?", "board"),
    (r"windowsills?", "windowsill"), (r"placemats?", "placemat"), (r"(?:picnic )?blankets?", "blanket"),
    (r"snowbanks?", "snowbank"),
    # sports grounds and boards things hang on (general knowledge)
    (r"(?:tennis |clay |basketball |grass |hard )?courts?", "court"), (r"(?:soccer |football |cricket |rugby )?pitch(?:es)?", "pitch"),
    (r"boardwalks?", "boardwalk"), (r"hillsides?|slopes?", "hillside"), (r"(?:rocky |pebble |sandy |river |lake )?shores?|shorelines?", "shore"), (r"doil(?:y|ies)", "doily"), (r"pegboards?|corkboards?", "pegboard"),
)
GENERIC_SURFACE_ON_ONLY = frozenset({"pebbles", "tile", "cushion", "log", "ground", "roof", "sofa", "stairs", "tray",
                                     "cloth", "towel", "bookshelf", "glacier", "railing", "blanket", "path", "board", "snowbank",
                                     "court", "pitch", "boardwalk", "doily", "pegboard",
                                     })


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
    ('old man', '', 'vieil homme', '', '', 'alter Mann', 'старик', '老人', '老人'),
    ('family', 'familia', 'famille', 'famiglia', 'família', 'Familie', 'семья/семьи/семью', '家族', '一家人'),
    ('musician', 'músico', 'musicien', 'musicista', 'músico', 'Musiker', 'музыкант', '音楽家', '音乐家'),
    ('chef', 'cocinero', 'cuisinier', 'cuoco', 'cozinheiro', 'Koch', 'повар', 'シェフ', '厨师'),
    ('fisherman', 'pescador', 'pêcheur', 'pescatore', 'pescador', 'Fischer', 'рыбак', '漁師', '渔夫'),
    ('tree', 'árbol/árboles', 'arbre', 'albero/alberi', 'árvore', 'Baum/Bäume', 'дерев', '木/樹', '树'),
    ('flower', 'flor/flores', 'fleur', 'fiore/fiori', 'flor/flores', 'Blume', 'цветок/цветк/цветы', '花', '花'),
    ('rose', 'rosas', 'rose', 'rose', 'rosas', 'Rose', 'роз', 'バラ', '玫瑰'),
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
    ('table', 'mesa', 'table', 'tavolo/tavola', 'mesa', 'Tisch', 'стол', 'テーブル', '桌子/桌'),
    ('desk', 'escritorio', 'bureau', 'scrivania', 'escrivaninha', 'Schreibtisch', 'письменн стол', 'デスク/机', '书桌'),
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
    ('beach', 'playa', 'plage', 'spiaggia', 'praia', 'Strand', 'пляж', '浜辺/ビーチ/海辺', '海滩/海边'),
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
    ('old', 'viejo/vieja/antiguo/anciano/anciana', 'vieux/vieille/ancien', 'vecchio/vecchia/antico/anziano/anziana', 'velho/velha/antigo/idoso/idosa', 'alt/alte/alter/altes', 'стар', '古い', '旧'),
    ('small', 'pequeño/pequeña', 'petit/petite', 'piccolo/piccola', 'pequeno/pequena', 'klein/kleine', 'маленьк', '小さな', '小'),
    ('of wood', 'de madera', 'en bois', 'di legno', 'de madeira', 'aus Holz', '', '', ''),
    ('wooden', '', '', '', '', 'hölzern', 'деревянн', '木製の', '木制/木头'),
    ('of glass', 'de vidrio/de cristal', 'en verre', 'di vetro', 'de vidro', 'aus Glas', '', '', ''),
    ('glass', '', '', '', '', '', 'стеклянн', 'ガラスの', '玻璃'),
    ('of stone', 'de piedra', 'en pierre', 'di pietra', 'de pedra', 'aus Stein', '', '', ''),
    ('stone', '', '', '', '', '', 'каменн', '石の', '石头'),
    ('of marble', 'de mármol', 'en marbre', 'di marmo', 'de mármore', 'aus Marmor', '', '', ''),
    ('marble', '', '', '', '', '', 'мраморн', '大理石の', '大理石'),
)
_RU_ENDINGS = r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|ами|ями|ах|ях|ам|ям|ов|ев|ей|ья|ье|ьев|ьями|ок|ек|ец|ка|ки|ку|ке|а|я|ы|и|у|ю|е|о|ь|ью)?"
_PLURAL = {"es": r"(?:es|s)?", "fr": r"(?:s|x)?", "it": "", "pt": r"(?:s|es)?", "de": r"(?:e|en|n|er|s|es|nen)?"}
_IT_PLURAL = {"o": "[oi]", "a": "[ae]", "e": "[ei]"}


_ACCENTED = {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ã": "a", "õ": "o"}


def _form(lang: str, form: str, noun: bool) -> str:
    escaped = re.escape(form)
    if lang == "ru":
        if not noun and " " not in form and len(form) <= 3 and form in ("на", "под", "за", "перед", "над", "в", "во", "с", "со", "у", "между", "возле", "около"):
            return escaped
        return r"\s+".join(re.escape(w) + _RU_ENDINGS for w in form.split())
    if lang in ("ja", "zh"):
        return escaped
    if not noun:
        return escaped.replace(r"\ ", r"\s+")
    if lang == "it" and form[-1] in _IT_PLURAL and " " not in form:
        return re.escape(form[:-1]) + _IT_PLURAL[form[-1]]
    pattern = escaped.replace(r"\ ", r"\s+") + _PLURAL.get(lang, "")
    if lang in ("es", "pt") and " " not in form and len(form) > 3 and form[-2] in _ACCENTED and form[-1] in "nsl":
        # "volcán" -> "volcanes", "camión" -> "camiones": the plural loses the accent
        pattern = f"(?:{pattern}|{re.escape(form[:-2] + _ACCENTED[form[-2]] + form[-1])}es)"
    if lang == "de" and len(form) >= 4 and " " not in form:
        # a compound ends in its head noun ("Holztisch"), and is written with a capital ("weiches" is no "Eiche")
        pattern = r"(?:(?-i:[A-ZÄÖÜ])\w{0,19}?)?" + pattern
    return pattern


def gloss_rules(lang: str) -> tuple[tuple[str, str], ...]:
    """(pattern, English) for the everyday words of one language, longest forms first."""
    col = GLOSS_LANGS.index(lang) + 1
    out = []
    for table, noun in ((EVERYDAY_NOUNS, True), (FUNCTION_GLOSSES, False)):
        for row in table:
            english = row[0]
            for form in filter(None, row[col].split("/")):
                out.append((len(form), _form(lang, form, noun), f" {english} " if lang in ("ja", "zh") else english))
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
_DE_PREFIXES = {"Holz": "Holz ", "Backstein": "Backstein ", "Ziegel": "Ziegel ", "Stein": "Stein ", "Glas": "Glas ", "Marmor": "Marmor ",
                "Metall": "Metall ", "Leder": "Leder ", "Herbst": "Herbst ", "Winter": "Winter ", "Morgen": "Morgen ", "Abend": "Abend ",
                "Nacht": "Nacht ", "Regen": "Regen "}
GLOSS_ORDER_GENERAL: dict[str, tuple[tuple[str, str, str], ...]] = {
    "de": tuple((w, rf"\b{w}(?!grauen|röte|rot|dämmerung|land)(?=[a-zäöüß]{{3,}})", r) for w, r in _DE_PREFIXES.items()),
    "ja": (("を持つ", rf"({_CLAUSE}+?)を持つ({_CLAUSE}+)", r"\2 holding \1"),) + tuple(
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


# ---------------------------------------------------------------- where the scene is
# Place words -> the setting they name, from general knowledge (rooms, buildings one is inside,
# landscapes). Table order is priority: a specific room beats the building ("a hotel lobby": lobby)
# unless the building is the better-known place ("a hospital corridor": hospital), and any of these
# beats a broad landscape word. PREP_SETTINGS are settings only right after in/at/inside ("in a
# photo studio", "in his study"; "studio lighting" and "a study of" are not places).
PLACE_SETTINGS: tuple[tuple[str, str], ...] = (
    (r"underwater|under ?water|sea ?floor|sea ?bed|ocean floor|seabed|coral reefs?|scuba", "underwater"),
    (r"outer space|in space|space stations?|spacewalk|orbit(?:ing|s)?\b|nebula|galax(?:y|ies)", "space"),
    (r"data cent(?:er|re)s?|server rooms?", "data center"),
    (r"meeting rooms?|conference rooms?|boardrooms?", "meeting room"),
    (r"locker rooms?|changing rooms?", "locker room"),
    (r"living rooms?|lounge room|sitting rooms?|family room", "living room"),
    (r"bedrooms?", "bedroom"), (r"bathrooms?", "bathroom"), (r"dining rooms?", "dining room"),
    (r"classrooms?", "classroom"), (r"ballrooms?", "ballroom"), (r"hospitals?|emergency room|operating room", "hospital"), (r"(?:dental |medical |veterinary |vet )?clinics?", "clinic"),
    (r"hotel lobby|lobby|lobbies|reception hall", "lobby"), (r"attics?|loft space", "attic"),
    (r"wine cellars?|cellars?", "cellar"), (r"basements?", "basement"), (r"pantry|pantries|larder", "pantry"),
    (r"walk-in closets?|closets?|dressing rooms?", "closet"),
    (r"(?:repair|auto|car|mechanic's|mechanics) (?:shop|garage)|parking garages?|garages?", "garage"),
    (r"(?<!garden )workshops?|woodshop|carpentry shop|forge", "workshop"),
    (r"(?:garden |tool |potting )?sheds?", "shed"),
    (r"gyms?|fitness (?:studio|center|centre)|weight room", "gym"),
    (r"librar(?:y|ies)|bookstores?|bookshops?", "library"),
    (r"museums?|art galler(?:y|ies)", "museum"),
    (r"bakery|bakeries|patisserie|boulangerie", "bakery"),
    (r"caf[eé]s?|coffee ?shops?|coffee ?houses?|bistros?|baristas?|espresso bar", "cafe"), (r"tea ?houses?|tea ?rooms?", "teahouse"),
    (r"kitchens?", "kitchen"), (r"pizzerias?", "pizzeria"), (r"restaurants?|diners?", "restaurant"),
    (r"(?:farmers'?|flea|night|street|fish|christmas|food) markets?|marketplaces?|bazaars?|souks?|market stalls?|market\b", "market"),
    (r"supermarkets?|grocery stores?", "supermarket"),
    (r"(?:flower|shoe|hardware|toy|candy|gift|antique|pet|book|bike|bicycle|barber|thrift|record|clothing|souvenir|corner|tea|ice cream|gelato) (?:shop|store)s?"
     r"|gelateria|boutiques?|storefronts?|shop windows?|shops?|stores?|florist's", "shop"),
    (r"warehouses?|factor(?:y|ies)|depots?", "warehouse"),
    (r"offices?|cubicles?|workspace", "office"),
    (r"hallways?|corridors?", "hallway"),
    (r"(?:train|railway|railroad|subway|metro|underground|bus|tube) (?:stations?|platforms?)|(?:train|subway|metro|railway) platform"
     r"|(?<!gas )(?<!petrol )(?<!fire )(?<!space )(?<!police )(?<!charging )(?<!weather )(?<!power )stations?|platforms?", "station"),
    (r"airports?", "airport"),
    (r"stages?|concert halls?|concerts?", "stage"),
    (r"temples?|shrines?|pagoda", "temple"),
    (r"harbou?rs?|marinas?|ports?\b", "harbor"),
    (r"(?<!parking )(?:city|cities|downtown|urban|metropolis|paris|london|venice|tokyo|new york|rome|barcelona|amsterdam"
     r"|hong kong|shanghai|berlin|prague|lisbon|istanbul|kyoto|seoul|manhattan)", "city"),
    (r"parks?(?! \w*ing)|playgrounds?", "park"),
    (r"plazas?|piazzas?", "plaza"), (r"(?:village|town|public|market|main|city) squares?", "square"),
    (r"rain ?forests?|jungles?|the amazon|amaz[oô]nia|amazon (?:rainforest|jungle|basin)", "jungle"),
    (r"savann?ah?s?|serengeti|grasslands?", "savanna"),
    (r"canyons?|gorges?", "canyon"),
    (r"lagoons?", "lagoon"),
    (r"deserts?|sand dunes?|dunes|sahara", "desert"),
    (r"forests?|woods\b|woodlands?|groves?", "forest"),
    (r"beer gardens?", "beer garden"), (r"(?<!garden )(?:botanical )?gardens?|orchards?", "garden"),
    (r"beach(?:es)?|seaside|seashore|coast(?:line)?", "beach"),
    (r"marsh(?:es)?|swamps?|wetlands?|bogs?", "marsh"),
    (r"meadows?", "meadow"), (r"(?<!depth of )(?:wheat |corn |rice |sunflower |tulip |lavender |poppy |barley )?fields?|farmland", "field"),
    (r"islands?", "island"),
    (r"oceans?|(?<!under the )sea\b(?! of)", "sea"),
)
PREP_SETTINGS: tuple[tuple[str, str], ...] = (
    (r"(?:\w+ )?studios?", "studio"), (r"studys?|studies", "study"),
)


# More everyday words in other languages, from general knowledge (same columns as EVERYDAY_NOUNS:
# English | es | fr | it | pt | de | ru stems | ja | zh): household things, tools, food, places,
# town and countryside, and the light, weather and time words around them.
EVERYDAY_NOUNS = EVERYDAY_NOUNS + (
    ('fence', 'valla/cerca/verja', 'clôture/barrière', 'recinzione/staccionata', 'cerca/grade', 'Zaun', 'забор/изгород', 'フェンス/柵', '栅栏/篱笆'),
    ('barn', 'granero/establo', 'grange', 'fienile', 'celeiro', 'Scheune', 'амбар/сара', '納屋', '谷仓'),
    ('tractor', 'tractor', 'tracteur', 'trattore', 'trator', 'Traktor', 'трактор', 'トラクター', '拖拉机'),
    ('sign', 'letrero/rótulo', 'panneau/enseigne/pancarte', 'cartello/insegna', 'placa/letreiro/tabuleta', 'Schild', 'вывеск/табличк', '看板', '招牌/牌子/标牌'),
    ('label', 'etiqueta', 'étiquette', 'etichetta', 'rótulo/etiqueta', 'Etikett', 'этикетк/ярлык', 'ラベル', '标签'),
    ('oven', 'horno', 'four', 'forno', 'forno', 'Ofen', 'печ/духовк', 'オーブン/窯', '烤箱'),
    ('stove', 'estufa/fogón/hornillo', 'cuisinière/réchaud/gazinière', 'fornello a gas/fornello/fornelli', 'fogão', 'Herd', 'плит', 'コンロ', '炉子/灶台/炉灶'),
    ('moka pot', 'cafetera', 'cafetière', 'caffettiera moka/caffettiera/moka', 'cafeteira', 'Kaffeekanne', 'кофеварк', 'コーヒーポット', '咖啡壶'),
    ('net', 'redes/red de pesca', 'filet de pêche/filets', 'rete da pesca/reti', 'rede de pesca/redes', 'Fischernetz/Netz', 'сет', '網', '渔网'),
    ('baker', 'panadero', 'boulanger/boulangère', 'fornaio/panettiere', 'padeiro', 'Bäcker', 'пекар', 'パン職人', '面包师'),
    ('baguette', 'baguette/barra de pan', 'baguette', 'filone', 'baguete', 'Baguette', 'багет', 'バゲット', '法棍'),
    ('croissant', 'cruasán/medialuna', 'croissant', 'cornetto', 'croissant', 'Croissant/Hörnchen', 'круассан', 'クロワッサン', '牛角包/可颂'),
    ('dock', 'muelle', 'quai/ponton', 'molo/pontile', 'cais', 'Steg/Anlegestelle', 'пристан', '桟橋', '码头'),
    ('pier', 'embarcadero', 'jetée', 'banchina', 'píer', 'Pier', 'причал', '埠頭', '栈桥'),
    ('tent', 'tienda de campaña/carpa', 'tente', 'tenda', 'barraca/tenda', 'Zelt', 'палатк', 'テント', '帐篷'),
    ('panda', 'panda', 'panda', 'panda', 'panda', 'Panda', 'панд', 'パンダ', '熊猫'),
    ('bamboo', 'bambú', 'bambou', 'bambù', 'bambu', 'Bambus', 'бамбук', '竹', '竹子/竹'),
    ('bamboo forest', 'bosque de bambú/bambú', 'forêt de bambous', 'foresta di bambù', 'floresta de bambu/bambuzal', 'Bambuswald', 'бамбуков рощ/бамбуков лес', '竹林', '竹林'),
    ('alley', 'callejón', 'ruelle', 'vicolo', 'beco/viela', 'Gasse', 'переул', '路地', '小巷/胡同'),
    ('pigeon', 'paloma', 'pigeon', 'piccione', 'pombo', 'Taube', 'голуб', '鳩/ハト', '鸽子'),
    ('park', 'parque', 'parc', 'parco', 'parque', 'Park', 'парк', '公園', '公园'),
    ('workbench', 'banco de trabajo', 'établi', 'banco da lavoro', 'bancada', 'Werkbank', 'верстак', '作業台', '工作台'),
    ('drill', 'taladro', 'perceuse', 'trapano', 'furadeira', 'Bohrmaschine', 'дрел', 'ドリル', '电钻'),
    ('screw', 'tornillo', 'vis', 'vite', 'parafuso', 'Schraube', 'винт/шуруп', 'ネジ', '螺丝'),
    ('tape measure', 'cinta métrica', 'mètre ruban', 'metro a nastro', 'fita métrica', 'Maßband', 'рулетк', 'メジャー', '卷尺'),
    ('hammer', 'martillo', 'marteau', 'martello', 'martelo', 'Hammer', 'молот', 'ハンマー', '锤子'),
    ('puddle', 'charco', 'flaque', 'pozzanghera', 'poça', 'Pfütze', 'луж', '水たまり', '水坑'),
    ('umbrella', 'paraguas/sombrilla', 'parapluie/ombrelle', 'ombrello/ombrellone', 'guarda-chuva/guarda-sol', 'Regenschirm/Schirm', 'зонт', '傘', '伞/雨伞'),
    ('honey', 'miel', 'miel', 'miele', 'mel', 'Honig', 'мёд/мед', '蜂蜜', '蜂蜜'),
    ('jar', 'tarro/frasco', 'pot/bocal', 'barattolo/vasetto', 'pote/frasco', 'Einmachglas', 'банк', 'ジャー', '罐子/罐'),
    ('barrel', 'barril/tonel', 'tonneau/fût', 'botte/barile', 'barril', 'Fass/Fässer', 'бочк', '樽', '木桶'),
    ('wine glass', 'copa de vino', 'verre à vin', 'calice', 'taça', 'Weinglas', 'бокал', 'ワイングラス', '酒杯/高脚杯'),
    ('parrot', 'loro/papagayo', 'perroquet', 'pappagallo', 'papagaio', 'Papagei', 'попуга', 'オウム/インコ', '鹦鹉'),
    ('branch', 'rama', 'branche', 'ramo', 'galho/ramo', 'Ast/Zweig', 'ветк/ветв', '枝', '树枝'),
    ('hammock', 'hamaca', 'hamac', 'amaca', 'rede de descanso', 'Hängematte', 'гамак', 'ハンモック', '吊床'),
    ('palm', 'palmera', 'palmier', 'palma', 'palmeira/coqueiro', 'Palme', 'пальм', 'ヤシ', '棕榈树/椰子树'),
    ('accordion', 'acordeón', 'accordéon', 'fisarmonica', 'acordeão/sanfona', 'Akkordeon', 'аккордеон/гармон', 'アコーディオン', '手风琴'),
    ('violin', 'violín', 'violon', 'violino', 'violino', 'Geige/Violine', 'скрипк', 'バイオリン', '小提琴'),
    ('hot air balloon', 'globo aerostático', 'montgolfière', 'mongolfiera', 'balão de ar quente', 'Heißluftballon', 'воздушн шар', '熱気球', '热气球'),
    ('valley', 'valle', 'vallée', 'valle/vallata', 'vale', 'Tal', 'долин', '谷', '山谷'),
    ('gondola', 'góndola', 'gondole', 'gondola', 'gôndola', 'Gondel', 'гондол', 'ゴンドラ', '贡多拉'),
    ('canal', 'canal', 'canal', 'canale', 'canal', 'Kanal', 'канал', '運河', '运河'),
    ('fog', 'niebla', 'brouillard/brume', 'nebbia/foschia', 'nevoeiro/névoa/neblina', 'Nebel/Dunst', 'туман/дымк', '霧/もや', '雾/薄雾/晨雾'),
    ('mailbox', 'buzón', 'boîte aux lettres', 'cassetta delle lettere/buca delle lettere', 'caixa de correio', 'Briefkasten', 'почтов ящик', '郵便受け/ポスト', '邮箱/信箱/邮筒'),
    ('lantern', 'farol/linterna/farolillo', 'lanterne/lampion', 'lanterna', 'lanterna', 'Laterne/Lampion', 'фонар', '提灯/ちょうちん/ランタン', '灯笼'),
    ('surfer', 'surfista', 'surfeur', 'surfista', 'surfista', 'Surfer', 'серфер/серфингист', 'サーファー', '冲浪者'),
    ('surfboard', 'tabla de surf', 'planche de surf', 'tavola da surf', 'prancha de surf/prancha', 'Surfbrett', 'доск для серфинга', 'サーフボード', '冲浪板'),
    ('scarf', 'bufanda', 'écharpe', 'sciarpa', 'cachecol', 'Schal', 'шарф', 'マフラー', '围巾'),
    ('coat', 'abrigo', 'manteau', 'cappotto', 'casaco', 'Mantel', 'пальто', 'コート', '外套/大衣'),
    ('tablecloth', 'mantel', 'nappe', 'tovaglia', 'toalha de mesa', 'Tischdecke', 'скатерт', 'テーブルクロス', '桌布'),
    ('onion', 'cebolla', 'oignon', 'cipolla', 'cebola', 'Zwiebel', 'лук', '玉ねぎ', '洋葱'),
    ('chopsticks', 'palillos', 'baguettes chinoises', 'bacchette', 'hashis/pauzinhos', 'Essstäbchen/Stäbchen', 'палочк', '箸', '筷子'),
    ('ramen', 'ramen', 'ramen', 'ramen', 'lámen', 'Ramen', 'рамен', 'ラーメン', '拉面'),
    ('onigiri', 'bola de arroz/onigiri', 'boulette de riz/onigiri', 'polpetta di riso/onigiri', 'bolinho de arroz/onigiri', 'Reisbällchen/Onigiri', 'онигири', 'おにぎり', '饭团'),
    ('screen', 'pantalla', 'écran', 'schermo', 'tela/ecrã', 'Bildschirm', 'экран', '画面', '屏幕'),
    ('painting', 'cuadro/pintura', 'tableau', 'quadro/dipinto', 'quadro/pintura', 'Gemälde/Bild', 'картин', '絵/絵画', '画/油画'),
    ('painter', 'pintor', 'peintre', 'pittore', 'pintor', 'Maler', 'художник', '画家', '画家'),
    ('brush', 'pincel', 'pinceau', 'pennello', 'pincel', 'Pinsel', 'кист', '筆', '画笔/刷子'),
    ('easel', 'caballete', 'chevalet', 'cavalletto', 'cavalete', 'Staffelei', 'мольберт', 'イーゼル', '画架'),
    ('studio', 'estudio', 'atelier', 'studio', 'estúdio/ateliê', 'Atelier', 'студи/мастерск', 'スタジオ/アトリエ', '工作室/画室'),
    ('snowmobile', 'moto de nieve', 'motoneige', 'motoslitta', 'moto de neve', 'Schneemobil', 'снегоход', 'スノーモービル', '雪地摩托'),
    ('scooter', 'scooter/vespa/motoneta', 'scooter', 'scooter/vespa', 'lambreta/scooter', 'Motorroller/Roller', 'скутер', 'スクーター', '踏板车'),
    ('library', 'biblioteca', 'bibliothèque', 'biblioteca', 'biblioteca', 'Bibliothek/Bücherei', 'библиотек', '図書館', '图书馆'),
    ('shop', 'tienda', 'magasin/boutique', 'negozio', 'loja', 'Laden/Geschäft', 'магазин/лавк', '店/商店', '商店/店铺'),
    ('shopping street', 'calle comercial', 'rue commerçante', 'via dello shopping', 'rua comercial', 'Einkaufsstraße', 'торгов улиц', '商店街', '商业街'),
    ('living room', 'sala de estar/salón', 'salon', 'soggiorno/salotto', 'sala de estar', 'Wohnzimmer', 'гостин', 'リビング/居間', '客厅'),
    ('station', 'estación', 'gare', 'stazione', 'estação', 'Bahnhof', 'вокзал/станци', '駅', '车站'),
    ('platform', 'andén', 'quai de gare', 'binario/banchina', 'plataforma', 'Bahnsteig', 'платформ/перрон', 'ホーム', '站台/月台'),
    ('cellar', 'bodega/sótano', 'cave', 'cantina', 'adega', 'Keller', 'погреб', 'ワインセラー/地下室', '酒窖/地窖'),
    ('inn', 'posada', 'auberge', 'locanda', 'pousada', 'Gasthaus/Gasthof', 'гостиниц', '旅館', '旅馆/客栈'),
    ('outdoor bath', 'baño al aire libre', 'bain en plein air', 'bagno all\'aperto', 'banho ao ar livre', 'Freibad', 'купальн', '露天風呂/温泉', '温泉'),
    ('roof', 'tejado/techo', 'toit', 'tetto', 'telhado', 'Dach', 'крыш', '屋根', '屋顶'),
    ('London', 'Londres', 'Londres', 'Londra', 'Londres', 'London', 'Лондон', 'ロンドン', '伦敦'),
    ('Paris', 'París', 'Paris', 'Parigi', 'Paris', 'Paris', 'Париж', 'パリ', '巴黎'),
    ('Venice', 'Venecia', 'Venise', 'Venezia', 'Veneza', 'Venedig', 'Венеци', 'ヴェネツィア', '威尼斯'),
    ('Rome', 'Roma', 'Rome', 'Roma', 'Roma', 'Rom', 'Рим', 'ローマ', '罗马'),
    ('Tokyo', 'Tokio', 'Tokyo', 'Tokyo', 'Tóquio', 'Tokio', 'Токио', '東京', '东京'),
    ('pagoda', 'pagoda', 'pagode', 'pagoda', 'pagode', 'Pagode', 'пагод', '五重塔', '古塔/宝塔'),
    ('path', 'sendero', 'sentier/chemin', 'sentiero', 'trilha/caminho', 'Pfad', 'тропинк/троп', '小道/小径', '小径/小路'),
    ('caravan', 'caravana', 'caravane', 'carovana', 'caravana', 'Karawane', 'караван', 'キャラバン', '大篷车'),
    ('dirt road', 'camino de tierra', 'chemin de terre', 'strada sterrata', 'estrada de terra', 'Feldweg', 'грунтов дорог', '未舗装の道', '土路'),
    ('saucer', 'platillo', 'soucoupe', 'piattino', 'pires', 'Untertasse', 'блюдц', 'ソーサー', '茶碟'),
    ('espresso', 'café solo/espresso', 'expresso', 'espresso', 'bica/expresso', 'Espresso', 'эспрессо', 'エスプレッソ', '浓缩咖啡'),
    ('pastry', 'pastelito', 'pâtisserie/viennoiserie', 'pasticcino/pasta', 'pastel de nata/pastel', 'Gebäck', 'пирожн', 'ペストリー', '糕点/蛋挞'),
    ('terrace', 'terraza', 'terrasse', 'terrazza', 'terraço/esplanada', 'Terrasse', 'террас', 'テラス', '露台'),
    ('bistro', 'bistró', 'bistrot', 'bistrot', 'bistrô', 'Bistro', 'бистро', 'ビストロ', '小酒馆'),
    ('stack', 'pila/montón', 'pile', 'pila/mucchio', 'pilha', 'Stapel', 'стопк', '山積み', '一摞/一叠'),
    ('samovar', 'samovar', 'samovar', 'samovar', 'samovar', 'Samowar', 'самовар', 'サモワール', '茶炊'),
    ('glass holder', 'portavasos', 'porte-verre', 'portabicchiere', 'porta-copos', 'Glashalter', 'подстаканник', 'グラスホルダー', '杯托'),
    ('train', 'tren', 'train', 'treno', 'trem', 'Zug', 'поезд/электричк', '電車/列車', '火车/列车'),
    ('girl', 'niña/chica/muchacha', 'fille/fillette', 'ragazza/bambina', 'menina/garota/moça', 'Mädchen', 'девочк/девушк', '少女/女の子', '女孩/少女'),
    ('old man', '', 'vieil homme/vieillard', '', '', 'alter Mann/Greis', 'старик', '老人', '老人/老爷爷'),
    ('teapot', 'tetera', 'théière', 'teiera', 'bule', 'Teekanne', 'чайник', '急須/ティーポット', '茶壶'),
    ('spoon', 'cuchara', 'cuillère', 'cucchiaio', 'colher', 'Löffel', 'ложк', 'スプーン', '勺子'),
    ('knife', 'cuchillo', 'couteau', 'coltello', 'faca', 'Messer', 'нож', 'ナイフ/包丁', '刀'),
    ('fork', 'tenedor', 'fourchette', 'forchetta', 'garfo', 'Gabel', 'вилк', 'フォーク', '叉子'),
    ('sugar', 'azúcar', 'sucre', 'zucchero', 'açúcar', 'Zucker', 'сахар', '砂糖', '糖'),
    ('pot', 'olla/maceta', 'marmite/casserole', 'pentola/vaso', 'panela/vaso', 'Topf', 'горш/кастрюл', '鍋/鉢', '锅/花盆'),
    ('hook', 'gancho', 'crochet', 'gancio', 'gancho', 'Haken', 'крюч', 'フック', '钩子'),
    ('clock', 'reloj', 'horloge/pendule', 'orologio', 'relógio', 'Uhr', 'час', '時計', '钟/时钟'),
    ('bicycle', 'bicicleta/bici', 'vélo/bicyclette', 'bicicletta/bici', 'bicicleta', 'Fahrrad/Rad', 'велосипед', '自転車', '自行车/单车'),
    ('shop window', 'escaparate/vitrina', 'vitrine', 'vetrina', 'vitrine/montra', 'Schaufenster', 'витрин', 'ショーウィンドウ', '橱窗'),
    ('gelato shop', 'heladería', 'glacier', 'gelateria', 'sorveteria', 'Eisdiele', 'кафе-мороженое', 'アイスクリーム屋', '冰淇淋店'),
    ('candle', 'vela', 'bougie', 'candela', 'vela', 'Kerze', 'свеч', 'ろうそく/キャンドル', '蜡烛'),
    ('cup', 'taza', 'tasse', 'tazza', 'xícara', 'Tasse', 'чашк', 'カップ/湯呑み', '杯子/杯'),
    ('mug', 'tazón', 'mug', 'tazzone', 'caneca', 'Becher', 'кружк', 'マグカップ/マグ', '马克杯'),
    ('poster', 'póster/afiche', 'affiche', 'manifesto/poster', 'cartaz/pôster', 'Plakat/Poster', 'плакат/постер', 'ポスター', '海报'),
    ('notebook', 'cuaderno/libreta', 'carnet/cahier', 'quaderno/taccuino', 'caderno', 'Notizbuch/Heft', 'блокнот/тетрад', 'ノート', '笔记本'),
    ('neon sign', 'letrero de neón/cartel de neón', 'enseigne au néon/enseigne lumineuse', 'insegna al neon', 'letreiro de neon', 'Leuchtreklame/Neonschild', 'неонов вывеск', 'ネオンサイン', '霓虹招牌'),
)
FUNCTION_GLOSSES = FUNCTION_GLOSSES + (
    ('steam', 'vapor', 'vapeur', 'vapore', 'vapor', 'Dampf', 'пар', '湯気/蒸気', '热气/蒸汽/水汽/冒着热气'),
    # "une tasse de thé fumante": a steaming cup
    ('steaming', 'humeante/humeantes', 'fumant/fumante/fumants/fumantes', 'fumante/fumanti', 'fumegante/fumegantes',
     'dampfend/dampfende/dampfenden/dampfender/dampfendes', 'дымящ', '湯気の立つ', '热腾腾/热气腾腾'),
    ('smoke', 'humo', 'fumée', 'fumo', 'fumaça', 'Rauch', 'дым', '煙', '烟雾/炊烟/烟'),
    ('glowing', 'resplandor/brillo/brillante/luminoso', 'lueur/lumineux/lumineuse', 'bagliore/luminoso', 'brilho/luminoso', 'Leuchten/Schein/leuchtend', 'свечени/сияни/светящ', '光る/輝く', '发光/闪耀/光芒'),
    ('neon', 'neón', 'néon/néons', 'neon', 'neon', 'Neon', 'неонов/неон', 'ネオン', '霓虹灯/霓虹'),
    ('reflection', 'reflejo/reflejos/reflejado', 'reflet/reflets/reflété', 'riflesso/riflessi/riflesso', 'reflexo/reflexos/refletido', 'Spiegelung/Spiegelbild', 'отражени/отража', '反射/映り込み/映る', '倒影/倒映/映照'),
    ('light rays', 'rayos de sol/rayos de luz', 'rayons de soleil/rayons du soleil/rayons de lumière', 'raggi di sole/raggi del sole/raggi di luce', 'raios de sol/raios de luz', 'Sonnenstrahlen/Lichtstrahlen', 'лучи солнца/солнечн луч', '木漏れ日/光線/光の筋', '阳光穿过/光线/光束'),
    ('morning', 'matutino/matutina/de la mañana/mañana', 'du matin/matinal/matinale/matin', 'del mattino/mattutino/mattutina/mattina', 'da manhã/matinal/manhã', 'Morgen/morgendlich', 'утренн/утро', '朝の/朝', '早晨/清晨/晨/早上'),
    ('afternoon', 'por la tarde/tarde', "l'après-midi/après-midi", 'pomeriggio', 'à tarde/tarde', 'Nachmittag/nachmittags', 'днём/днем/после полудня', '午後/昼下がり', '下午/午后'),
    ('at dusk', 'al anochecer/crepúsculo/anochecer', 'crépuscule/au crépuscule', 'crepuscolo/al crepuscolo', 'crepúsculo', 'Abenddämmerung/Dämmerung', 'сумерк', '黄昏', '黄昏/傍晚/黄昏时分'),
    ('moonlight', 'luz de luna/luz de la luna', 'clair de lune', 'chiaro di luna/luce della luna', 'luar/luz da lua', 'Mondlicht/Mondschein', 'лунн свет', '月明かり/月光', '月光'),
    ('raining', 'llueve/lloviendo', 'il pleut', 'piove', 'chove/chovendo', 'regnet', 'идёт дождь/идет дождь', '雨が降', '下雨/雨中/雨天'),
    ('snowy', 'nevado/nevada/nevados/nevadas', 'enneigé/enneigée/enneigés/enneigées', 'innevato/innevata/innevati/innevate',  # every agreement
     'nevado/nevada/nevados/nevadas', 'verschneit/verschneite/verschneiter/verschneiten/verschneites', 'заснеженн', '雪に覆われた/雪の', '下雪/雪中'),
    ('blizzard', 'ventisca', 'tempête de neige/blizzard', 'bufera di neve', 'nevasca', 'Schneesturm', 'метел/вьюг', '吹雪', '暴风雪'),
    ('sunlight', 'luz del sol', 'lumière du soleil', 'luce del sole', 'luz do sol', 'Sonnenlicht', 'солнечн свет', '日差し/日光', '阳光'),
    ('velvet', 'terciopelo', 'velours', 'velluto', 'veludo', 'Samt', 'бархат', 'ベルベット', '天鹅绒'),
    ('brick', 'ladrillo/ladrillos', 'brique/briques', 'mattoni/mattone', 'tijolo/tijolos', 'Backstein/Ziegel', 'кирпич', 'レンガ', '砖'),
    ('ceramic', 'cerámica', 'céramique', 'ceramica', 'cerâmica', 'Keramik', 'керамическ', '陶器/セラミック', '陶瓷'),
    ('cardboard', 'cartón', 'carton', 'cartone', 'papelão', 'Pappe/Karton', 'картон', '段ボール', '纸板/纸箱'),
    ('metal', 'metal/metálico', 'métal/métallique', 'metallo/metallico', 'metal/metálico', 'Metall', 'металл', '金属', '金属'),
    ('leather', 'cuero', 'cuir', 'cuoio', 'couro', 'Leder', 'кожан', '革', '皮革'),
    ('wood', 'madera', 'bois', 'legno', 'madeira', 'Holz', 'деревянн', '木製/木造', '木制/木头/木质'),
    ('bamboo', '', '', '', '', '', '', '竹の', '竹制'),
    # and the plain present ("une fille qui tient un ballon", "девочка держит котёнка")
    ('holding', 'sosteniendo/sujetando/sostiene/sostienen/sujeta/sujetan', 'tenant/tient/tiennent', 'tenendo/tiene/tengono/regge/reggono',
     'segurando/segura/seguram', 'hält/haltend/halten', 'держ/держит/держат/держащ', '持つ/持った', '拿着/手持/抱着'),
    ('hanging', 'colgadas/colgados/colgada/colgado/colgando', 'suspendu/suspendus/suspendue/accroché/accrochée', 'appeso/appesa/appesi/appese', 'pendurado/pendurada/pendurados', 'hängend/hängt', 'вис', 'ぶら下がる/吊るされた', '挂着/悬挂'),
    ('against', 'apoyado contra/apoyada contra/contra', 'appuyé contre/appuyée contre/contre', 'appoggiato a/appoggiata a/contro', 'encostado em/encostada em/contra', 'gegen/lehnt an', 'прислонённ к', 'にもたれた', '靠着/靠在'),
    ('in front of', 'frente a/enfrente de', 'en face de', 'di fronte a', 'em frente ao/em frente à', 'vor dem/vor der/vor einer/vor einem', 'перед', '前に', '前面/前'),
    ('inside', 'dentro de', "à l'intérieur de/dedans", 'dentro/dentro di', 'dentro de', 'in der/in dem', 'внутри', '中に', '里/里面'),
    ('above', 'sobre/encima de/por encima de', 'au-dessus de/au-dessus d', 'sopra/sopra la/sopra il', 'acima de/sobre', 'über dem/über der/über einer/über einem', 'над', '上空/の上', '上方/上空'),
    ('under', 'debajo de/bajo', 'sous', 'sotto', 'debaixo de/sob', 'unter', 'под', '下に/の下', '下面/下'),
    ('along', 'a lo largo de', 'le long de', 'lungo', 'ao longo de', 'entlang', 'вдоль', '沿い', '沿着'),
    ('beside', 'a la orilla de/al borde de', "au bord d'un/au bord d'une/au bord de", 'sul bordo di/in riva a', 'à beira de', 'am Ufer/am Rand', 'на берегу/у кра', '畔/ほとり', '边/岸边'),
    ('beside', '', '', '', '', '', 'у', '', ''),
    ('rising', 'que sube/subiendo', 'qui monte/montant', 'che sale/che salgono/che sale', 'subindo/que sobe', 'steigt auf/aufsteigend', 'поднима', '立ち上る/立ちのぼる', '升腾/升起/袅袅'),
    ('at the', '', '', 'alla/allo/al/ai/alle', '', '', '', '', ''),
    ('reading the', 'leyendo', 'lisant', 'leggendo', 'lendo', 'liest', 'читает/читающая/читающий/читая', '読んでいる/読む', '看着/读着'),
    ('starry sky with stars', 'cielo estrellado', 'ciel étoilé', 'cielo stellato', 'céu estrelado', 'Sternenhimmel', 'звёздн неб/звездн неб', '星空', '星空'),
)


# The English words the glosses give: a glossed prompt's nouns the lexicon does not know ("onigiri", "samovar") are still nouns.
GLOSS_ENGLISH = frozenset(w.lower() for table in (EVERYDAY_NOUNS,) for row in table for w in row[0].split())

# A third batch of everyday nouns, from general knowledge (same columns).
EVERYDAY_NOUNS = EVERYDAY_NOUNS + (
    ('backpack', 'mochila', 'sac à dos', 'zaino', 'mochila', 'Rucksack', 'рюкзак', 'リュック', '背包'),
    ('beer', 'cerveza', 'bière', 'birra', 'cerveja', 'Bier', 'пив', 'ビール', '啤酒'),
    ('blanket', 'manta/cobija', 'couverture/plaid', 'coperta', 'cobertor/manta', 'Decke', 'одеял/плед', '毛布/ブランケット', '毯子'),
    ('boot', 'bota', 'botte', 'stivale', 'bota', 'Stiefel', 'сапог', 'ブーツ', '靴子'),
    ('bucket', 'cubo/balde', 'seau', 'secchio', 'balde', 'Eimer', 'ведр', 'バケツ', '水桶'),
    ('carrot', 'zanahoria', 'carotte', 'carota', 'cenoura', 'Karotte/Möhre', 'морков', 'にんじん/人参', '胡萝卜'),
    ('cherry', 'cereza', 'cerise', 'ciliegia', 'cereja', 'Kirsche', 'вишн/черешн', 'さくらんぼ', '樱桃'),
    ('chicken', 'gallina/pollo', 'poule/poulet', 'gallina/pollo', 'galinha/frango', 'Huhn/Hähnchen', 'кур/цыпл', '鶏/ニワトリ', '鸡'),
    ('chocolate', 'chocolate', 'chocolat', 'cioccolato', 'chocolate', 'Schokolade', 'шоколад', 'チョコレート', '巧克力'),
    ('computer', 'ordenador/computadora', 'ordinateur', 'computer', 'computador', 'Computer', 'компьютер', 'パソコン/コンピューター', '电脑'),
    ('curtain', 'cortina', 'rideau', 'tendina', 'cortina', 'Vorhang/Gardine', 'штор/занавеск', 'カーテン', '窗帘'),
    ('dancer', 'bailarín/bailarina', 'danseur/danseuse', 'ballerino/ballerina', 'dançarino/bailarina', 'Tänzer/Tänzerin', 'танцор/балерин', 'ダンサー', '舞者'),
    ('doctor', 'médico/doctora', 'médecin', 'medico/dottore', 'médico', 'Arzt/Ärztin', 'врач', '医者', '医生'),
    ('doll', 'muñeca', 'poupée', 'bambola', 'boneca', 'Puppe', 'кукл', '人形', '娃娃'),
    ('dolphin', 'delfín', 'dauphin', 'delfino', 'golfinho', 'Delfin', 'дельфин', 'イルカ', '海豚'),
    ('dress', 'vestido', 'robe', 'vestito/abito', 'vestido', 'Kleid', 'плать', 'ドレス/ワンピース', '连衣裙'),
    ('drum', 'tambor', 'tambour', 'tamburo', 'tambor', 'Trommel', 'барабан', '太鼓/ドラム', '鼓'),
    ('eagle', 'águila', 'aigle', 'aquila', 'águia', 'Adler', 'орл/орёл', '鷲/ワシ', '鹰'),
    ('envelope', 'sobre de carta', 'enveloppe', 'busta', 'envelope', 'Umschlag/Briefumschlag', 'конверт', '封筒', '信封'),
    ('farmer', 'granjero/agricultor', 'fermier/agriculteur', 'contadino/agricoltore', 'fazendeiro/agricultor', 'Bauer/Landwirt', 'фермер', '農家/農夫', '农民'),
    ('campfire', 'fogata/hoguera', 'feu de camp', 'falò', 'fogueira', 'Lagerfeuer', 'костёр/костер', '焚き火', '篝火'),
    ('flag', 'bandera', 'drapeau', 'bandiera', 'bandeira', 'Flagge/Fahne', 'флаг', '旗', '旗帜/旗子'),
    ('gate', 'puerta de hierro/portón/verja', 'portail', 'cancello', 'portão', 'Gartentor', 'ворот', '門', '大门'),
    ('giraffe', 'jirafa', 'girafe', 'giraffa', 'girafa', 'Giraffe', 'жираф', 'キリン', '长颈鹿'),
    ('goat', 'cabra', 'chèvre', 'capra', 'cabra', 'Ziege', 'коз', 'ヤギ', '山羊'),
    ('helicopter', 'helicóptero', 'hélicoptère', 'elicottero', 'helicóptero', 'Hubschrauber', 'вертолёт/вертолет', 'ヘリコプター', '直升机'),
    ('jacket', 'chaqueta', 'veste/blouson', 'giacca', 'jaqueta', 'Jacke', 'куртк', 'ジャケット', '夹克'),
    ('juice', 'zumo/jugo', 'jus', 'succo', 'suco', 'Saft', 'сок', 'ジュース', '果汁'),
    ('kettle', 'hervidor/tetera', 'bouilloire', 'bollitore', 'chaleira', 'Wasserkocher/Kessel', 'чайник', 'やかん', '水壶'),
    ('king', 'rey', 'roi', 're', 'rei', 'König', 'корол', '王様', '国王'),
    ('ladder', 'escalera de mano', 'échelle', 'scala a pioli', 'escada de mão', 'Leiter', 'лестниц', 'はしご', '梯子'),
    ('letter', 'carta', 'lettre', 'lettera', 'carta', 'Brief', 'письм', '手紙', '信件'),
    ('magazine', 'revista', 'magazine', 'rivista', 'revista', 'Zeitschrift', 'журнал', '雑誌', '杂志'),
    ('map', 'mapa', 'carte', 'mappa/cartina', 'mapa', 'Karte/Landkarte', 'карт', '地図', '地图'),
    ('mouse', 'ratón', 'souris', 'topo', 'rato', 'Maus', 'мыш', 'ネズミ', '老鼠'),
    ('necklace', 'collar', 'collier', 'collana', 'colar', 'Halskette', 'ожерель', 'ネックレス', '项链'),
    ('newspaper', 'periódico', 'journal', 'giornale', 'jornal', 'Zeitung', 'газет', '新聞', '报纸'),
    ('nurse', 'enfermera/enfermero', 'infirmière/infirmier', 'infermiera/infermiere', 'enfermeira/enfermeiro', 'Krankenschwester/Pfleger', 'медсестр', '看護師', '护士'),
    ('pan', 'sartén', 'poêle', 'padella', 'frigideira', 'Pfanne', 'сковород', 'フライパン', '平底锅'),
    ('pen', 'bolígrafo/pluma', 'stylo', 'penna', 'caneta', 'Stift/Füller', 'ручк', 'ペン', '钢笔/笔'),
    ('pencil', 'lápiz', 'crayon', 'matita', 'lápis', 'Bleistift', 'карандаш', '鉛筆', '铅笔'),
    ('pig', 'cerdo', 'cochon', 'maiale', 'porco', 'Schwein', 'свинь/поросён', '豚', '猪'),
    ('pillow', 'almohada', 'oreiller', 'guanciale', 'travesseiro', 'Kopfkissen', 'подушк', '枕', '枕头'),
    ('airplane', 'avión', 'avion', 'aereo', 'avião', 'Flugzeug', 'самолёт', '飛行機', '飞机'),
    ('potato', 'patata/papa', 'pomme de terre', 'patata', 'batata', 'Kartoffel', 'картофел/картошк', 'じゃがいも', '土豆'),
    ('queen', 'reina', 'reine', 'regina', 'rainha', 'Königin', 'королев', '女王', '女王'),
    ('radio', 'radio', 'radio', 'radio', 'rádio', 'Radio', 'радио', 'ラジオ', '收音机'),
    ('rocket', 'cohete', 'fusée', 'razzo', 'foguete', 'Rakete', 'ракет', 'ロケット', '火箭'),
    ('rope', 'cuerda', 'corde', 'corda', 'corda', 'Seil', 'верёвк/веревк/канат', 'ロープ', '绳子'),
    ('rug', 'alfombra', 'tapis', 'tappeto', 'tapete', 'Teppich', 'ковёр/ковер/ковр', '絨毯/ラグ', '地毯'),
    ('salad', 'ensalada', 'salade', 'insalata', 'salada', 'Salat', 'салат', 'サラダ', '沙拉'),
    ('sandwich', 'sándwich/bocadillo', 'sandwich', 'panino', 'sanduíche', 'Sandwich', 'бутерброд/сэндвич', 'サンドイッチ', '三明治'),
    ('scissors', 'tijeras', 'ciseaux', 'forbici', 'tesoura', 'Schere', 'ножниц', 'はさみ', '剪刀'),
    ('shark', 'tiburón', 'requin', 'squalo', 'tubarão', 'Hai', 'акул', 'サメ', '鲨鱼'),
    ('shirt', 'camisa', 'chemise', 'camicia', 'camisa', 'Hemd', 'рубашк', 'シャツ', '衬衫'),
    ('snake', 'serpiente', 'serpent', 'serpente', 'cobra/serpente', 'Schlange', 'зме', '蛇/ヘビ', '蛇'),
    ('soldier', 'soldado', 'soldat', 'soldato', 'soldado', 'Soldat', 'солдат', '兵士', '士兵'),
    ('spider', 'araña', 'araignée', 'ragno', 'aranha', 'Spinne', 'паук', '蜘蛛/クモ', '蜘蛛'),
    ('student', 'estudiante', 'étudiant/étudiante/élève', 'studente/studentessa', 'estudante/aluno', 'Schüler/Student', 'студент/школьник', '学生', '学生'),
    ('suitcase', 'maleta', 'valise', 'valigia', 'mala', 'Koffer', 'чемодан', 'スーツケース', '行李箱'),
    ('taxi', 'taxi', 'taxi', 'taxi', 'táxi', 'Taxi', 'такси', 'タクシー', '出租车'),
    ('teacher', 'profesor/profesora/maestro/maestra', 'professeur/enseignant/institutrice', 'insegnante/maestra/maestro', 'professor/professora', 'Lehrer/Lehrerin', 'учител', '先生/教師', '老师'),
    ('television', 'televisor/televisión', 'télévision/téléviseur', 'televisore/televisione', 'televisão/televisor', 'Fernseher', 'телевизор', 'テレビ', '电视'),
    ('tram', 'tranvía', 'tramway', 'tram/tranvia', 'bonde/elétrico', 'Straßenbahn', 'трамва', '路面電車', '有轨电车'),
    ('wallet', 'cartera/billetera', 'portefeuille', 'portafoglio', 'carteira', 'Geldbörse/Brieftasche', 'кошел/бумажник', '財布', '钱包'),
    ('whale', 'ballena', 'baleine', 'balena', 'baleia', 'Wal', 'кит', 'クジラ', '鲸'),
    ('zebra', 'cebra', 'zèbre', 'zebra', 'zebra', 'Zebra', 'зебр', 'シマウマ', '斑马'),
    ('noodles', 'fideos', 'nouilles', 'spaghetti/tagliatelle', 'macarrão', 'Nudeln', 'лапш', '麺/うどん/そば', '面条/牛肉面'),
    ('rice', 'arroz', 'riz', 'riso', 'arroz', 'Reis', 'рис', 'ご飯/米', '米饭'),
    ('salmon', 'salmón', 'saumon', 'salmone', 'salmão', 'Lachs', 'лосос', '鮭/サーモン', '三文鱼'),
    ('ring', 'anillo', 'bague', 'anello', 'anel', 'Ring', 'кольц', '指輪', '戒指'),
    ('pine', 'pino', 'pin', 'pino', 'pinheiro', 'Kiefer/Tanne', 'сосн', '松', '松树'),
    ('bowl', '', '', '', '', '', '', '丼/どんぶり/茶碗', '大碗'),
    ('cherry blossom', 'flor de cerezo', 'fleur de cerisier', 'fiore di ciliegio', 'flor de cerejeira', 'Kirschblüte', 'сакур', '桜', '樱花'),
)
FUNCTION_GLOSSES = FUNCTION_GLOSSES + (
    ('fire', 'fuego', 'feu', 'fuoco', 'fogo', 'Feuer', 'огон/огн', '火/炎', '火/火焰'),
    ('wind', 'viento', 'vent', 'vento', 'vento', 'Wind', 'ветер/ветр', '風', '风'),
    ('ice', 'hielo', 'glace', 'ghiaccio', 'gelo', 'Eis', 'лёд/лед/льд', '氷', '冰'),
    ('paper', 'papel', 'papier', 'carta', 'papel', 'Papier', 'бумаг', '紙', '纸'),
    ('golden hour', 'hora dorada', "l'heure dorée/heure dorée", "l'ora d'oro/ora dorata", 'hora dourada', 'goldene Stunde', 'золот час', 'ゴールデンアワー', '黄金时刻'),
    ('at noon', 'al mediodía/mediodía', 'à midi/midi', 'a mezzogiorno/mezzogiorno', 'ao meio-dia/meio-dia', 'mittags/Mittag', 'в полдень/полдень', '正午/真昼', '中午/正午'),
    ('cloudy', 'nublado', 'nuageux/couvert', 'nuvoloso', 'nublado', 'bewölkt/trüb', 'пасмурн/облачн', '曇り', '阴天/多云'),
    ('sunny', 'soleado', 'ensoleillé', 'soleggiato', 'ensolarado', 'sonnig', 'солнечн', '晴れ', '晴天/晴朗'),
    ('shadow', 'sombra/sombras', 'ombre/ombres', 'ombra/ombre', 'sombra/sombras', 'Schatten', 'тен', '影', '影子/阴影'),
    ('sparkling', 'brillando/destellos', 'étincelant/paillettes', 'scintillante/scintille', 'brilhante/faíscas', 'funkelnd/Funken', 'искр/блест', 'きらめく/キラキラ', '闪闪发光/闪光'),
    ('in the background', 'al fondo/en el fondo', "à l'arrière-plan/en arrière-plan", 'sullo sfondo', 'ao fundo/no fundo', 'im Hintergrund', 'на заднем плане', '背景に/奥に', '背景中/远处'),
    ('in the foreground', 'en primer plano', 'au premier plan', 'in primo piano', 'em primeiro plano', 'im Vordergrund', 'на переднем плане', '手前に', '前景'),
)
GLOSS_ENGLISH = frozenset(w.lower() for row in EVERYDAY_NOUNS for w in row[0].split())

# More everyday words, grammar and material words, from general knowledge (planning.extra_words).
from imagegate.planning.extra_words import MORE_FUNCTION as _MORE_FUNCTION, MORE_NOUNS as _MORE_NOUNS  # noqa: E402

_NOUN_ROWS = frozenset("sign banner label t-shirt mug book cover chalkboard menu".split("  ")[0].split()) | {"book cover"}
EVERYDAY_NOUNS = EVERYDAY_NOUNS + _MORE_NOUNS + tuple(r for r in _MORE_FUNCTION if r[0] in _NOUN_ROWS)
FUNCTION_GLOSSES = FUNCTION_GLOSSES + tuple(r for r in _MORE_FUNCTION if r[0] not in _NOUN_ROWS)
GLOSS_ENGLISH = frozenset(w.lower() for row in EVERYDAY_NOUNS for w in row[0].split())
from imagegate.planning.extra_words import (  # noqa: E402
    MORE_LANDSCAPES as _MORE_LANDSCAPES, MORE_PREP_PLACES as _MORE_PREP_PLACES, MORE_ROOMS as _MORE_ROOMS, PLACE_NOUNS as _PLACE_NOUNS,
)

_office = next(i for i, (_, v) in enumerate(PLACE_SETTINGS) if v == "office")
_park = next(i for i, (_, v) in enumerate(PLACE_SETTINGS) if v == "park")
_sea = next(i for i, (_, v) in enumerate(PLACE_SETTINGS) if v == "sea")
PLACE_SETTINGS = (*PLACE_SETTINGS[:_office], *_MORE_ROOMS[:-4], *PLACE_SETTINGS[_office:_park], *_MORE_ROOMS[-4:],
                  *PLACE_SETTINGS[_park:_sea], *_MORE_LANDSCAPES, *PLACE_SETTINGS[_sea:])
PREP_SETTINGS = PREP_SETTINGS + _MORE_PREP_PLACES
NOT_SUBJECT = NOT_SUBJECT | _PLACE_NOUNS
from imagegate.planning.extra_words import HYPERNYMS  # noqa: E402

for _w in HYPERNYMS:
    NOUN_KINDS.setdefault(_w.rstrip("s") if _w.endswith("s") and _w[:-1] in HYPERNYMS else _w, "animal")

# German says "eine Tasse Kaffee", "ein Glas Wein" with no "of": a container word right before a
# noun takes an "of" ("a cup of coffee": the cup and the coffee).
_DE_CONTAINERS = ("Tasse", "Glas", "Flasche", "Becher", "Schale", "Schüssel", "Korb", "Teller", "Kanne", "Krug", "Dose",
                  "Kiste", "Eimer", "Vase", "Strauß", "Glas", "Topf", "Kasten", "Tüte", "Sack", "Karton", "Packung", "Stapel")
GLOSS_ORDER_GENERAL["de"] = GLOSS_ORDER_GENERAL.get("de", ()) + tuple(
    (w, rf"\b({w}(?:n|en|s|e|es)?) (?!(?:Mit|Auf|Im|Und|Neben|Unter|Vor|Hinter|Aus)\b)(?=[A-ZÄÖÜ][a-zäöüß]{{2,}}\b)", r"\1 of ") for w in dict.fromkeys(_DE_CONTAINERS)
)
from imagegate.planning.extra_words import DOG_BREEDS, MORE_MATERIALS, PORTION_WORDS  # noqa: E402

MATERIALS.update(MORE_MATERIALS)
NOT_SUBJECT = NOT_SUBJECT | PORTION_WORDS
EVERYDAY_NOUNS = EVERYDAY_NOUNS + (DOG_BREEDS,)
GLOSS_ENGLISH = frozenset(w.lower() for row in EVERYDAY_NOUNS for w in row[0].split())
from imagegate.planning.extra_words import MORE_FUNCTION_2 as _MORE_FUNCTION_2, MORE_NOUNS_2 as _MORE_NOUNS_2  # noqa: E402

EVERYDAY_NOUNS = EVERYDAY_NOUNS + _MORE_NOUNS_2
FUNCTION_GLOSSES = FUNCTION_GLOSSES + _MORE_FUNCTION_2
GLOSS_ENGLISH = frozenset(w.lower() for row in EVERYDAY_NOUNS for w in row[0].split())
GLOSS_ORDER_GENERAL["de"] = GLOSS_ORDER_GENERAL["de"] + tuple(
    (w, rf"\b{w}(?=[a-zäöüß]{{3,}})", f"{w} ") for w in ("Samt", "Seiden", "Woll", "Kupfer", "Messing", "Eisen", "Stahl", "Gold", "Silber",
                                                         "Porzellan", "Keramik", "Leinen", "Beton", "Bronze", "Leder", "Papier", "Pappe")
)

# More things text is written on (general knowledge); a compound names the kind of cover or board.
CARRIER_NOUNS.update({"cover": "cover", "album cover": "album cover", "record cover": "album cover", "book cover": "book cover",
                      "magazine cover": "magazine cover", "cd cover": "album cover"})
for _w, _c in {"board": "board", "boards": "board", "departure board": "board", "scoreboard": "board", "menu board": "board",
               "deck": "deck", "ui": "screen", "app": "screen", "interface": "screen", "website": "screen", "webpage": "screen",
               "dashboard": "screen", "screens": "screen", "monitor": "screen", "notice": "notice",
               "signpost": "sign", "road sign": "sign", "neon sign": "sign", "storefront": "storefront", "facade": "facade",
               "canvas": "canvas", "tattoo": "tattoo", "cake": "cake", "sail": "sail", "kite": "kite", "wrapper": "wrapper",
               "menu card": "menu", "price tag": "tag", "name tag": "tag", "bookmark": "bookmark", "certificate": "certificate",
               "invitation": "invitation", "greeting card": "card", "t-shirt": "t-shirt", "tee": "t-shirt", "sweater": "sweater",
               "license plate": "license plate", "number plate": "license plate", "blackboard": "chalkboard"}.items():
    CARRIER_NOUNS.setdefault(_w, _c)
# everyday nouns the lexicon knows only as verbs or not at all (general knowledge)
for _w in ("log logs bookcase bookcases clarinet cymbal cymbals dam dams fridge gazebo harmonica inkwell nightstand pan pans"
           " pergola tambourine tin tins trunk trunks ukulele whiteboard").split():
    NOUN_KINDS.setdefault(_w, "object")
# nouns that look like a verb's -ing form ("a porch railing", "a forest clearing", "pink frosting")
for _w in "railing railings clearing clearings awning awnings frosting icing topping toppings".split():
    NOUN_KINDS.setdefault(_w, "object")

# Vehicle names the labels call by their kind ("a vintage Vespa": a scooter), from general knowledge.
from imagegate.planning.extra_words import BRAND_KINDS  # noqa: E402

for _w, _k in BRAND_KINDS.items():
    NOUN_KINDS.setdefault(_w, "car")
    HYPERNYMS.setdefault(_w, _k)
NOT_SUBJECT = NOT_SUBJECT | frozenset("stalk stalks vintage".split())

# herbs, spices and foods said without an article ("with fresh basil and lime"), from general knowledge
for _w in ("basil parsley mint rosemary thyme cilantro coriander dill oregano sage chive chives ginger cinnamon vanilla saffron"
           " granola oatmeal porridge yogurt cream syrup caramel sauce gravy salsa hummus guacamole tofu pho ramen udon"
           " sawdust confetti glitter sprinkles seaweed kelp").split():
    NOUN_KINDS.setdefault(_w, "food" if _w not in ("sawdust", "confetti", "glitter", "seaweed", "kelp") else "object")
NOT_SUBJECT = NOT_SUBJECT - {"entrance"}  # "a sign above the entrance": the entrance is drawn
NOT_SUBJECT = NOT_SUBJECT - {"loaf"}  # "a loaf of sourdough": the loaf is drawn, and the bread it is
NOT_SUBJECT = NOT_SUBJECT | {"blur", "thunderstorm", "snowstorm", "rainstorm", "sandstorm", "hailstorm"}  # weather, like "storm"
FUNCTION_GLOSSES = FUNCTION_GLOSSES + (('pink', 'rosa', '', 'rosa', 'rosa', '', '', '', ''),)
NOT_SUBJECT = NOT_SUBJECT | {"condensation", "teahouse", "teahouses"}
NOT_SUBJECT = NOT_SUBJECT | {"clinic", "clinics"}
NOT_SUBJECT = NOT_SUBJECT | {"pizzeria", "pizzerias", "hillside", "hillsides"}

# Japanese "A が B に <verb>" (A stands / sits / floats ... in or on B) -> "A in B" / "A on B"; Spanish and
# the others' "crossing" (general knowledge)
_JA_AT = "[^、。,，]"
GLOSS_ORDER_GENERAL["ja"] = GLOSS_ORDER_GENERAL.get("ja", ()) + tuple(
    (f"に{verb}", rf"({_JA_AT}+?)が({_JA_AT}+?)に{verb}(?:いる|ある|います|あります)?", rf"\1 {rel} \2 ")
    for verb, rel in (("貼って", "on"), ("置いて", "on"), ("座って", "on"), ("止まって", "on"), ("とまって", "on"), ("立って", "in"),
                      ("浮かんで", "in"), ("泳いで", "in"), ("寝て", "on"), ("眠って", "on"))
)
FUNCTION_GLOSSES = FUNCTION_GLOSSES + (
    ('crossing', 'cruzando/atravesando', 'traversant/qui traverse', 'attraversando/che attraversa', 'atravessando/cruzando',
     'überquert/überquerend', 'пересека', '渡る/横切る', '横穿/驶过'),
    # "un cartel que dice 'ABIERTO'": a sign that says it (not a "dice")
    ('that says', 'que dice/que pone', 'qui dit', 'che dice', 'que diz', '', '', '', ''),
)
from imagegate.planning.extra_words import MORE_NOUNS_3 as _MORE_NOUNS_3, MORE_NOUNS_4 as _MORE_NOUNS_4  # noqa: E402

EVERYDAY_NOUNS = EVERYDAY_NOUNS + _MORE_NOUNS_3 + _MORE_NOUNS_4
GLOSS_ENGLISH = frozenset(w.lower() for row in EVERYDAY_NOUNS for w in row[0].split())
