"""The terms of use, in every content language, served by content/terms_page.py at content/licence.py's TERMS_PATH.

Short on purpose: what the text is (patient information, not medical advice),
what may be done with it (the licence), what a reuser must keep (attribution,
sources, review notices). Each language is written, not machine-filled; a
change here is a change in all five.
"""

TERMS = {
    "en": {
        "title": "BoneCare: terms of use",
        "paragraphs": [
            "BoneCare's articles and glossary are patient information about bone cancer. They are not medical "
            "advice, and they do not replace the care team who knows the patient. In an emergency, call your local "
            "emergency number.",
            "The text is written in BoneCare's own words and licensed under the Creative Commons Attribution 4.0 "
            "International licence (CC BY 4.0): you may copy, adapt and share it, also commercially, if you give the "
            "attribution sent with it, link to the licence and say whether you changed the text.",
            "Each article names the sources its facts come from. Those sources keep their own attribution and "
            "rights: they are cited, not copied, and the licence above does not cover them.",
            "Each article states its review status. A translation that no clinician has reviewed says so; show that "
            "notice with the text, and the date of the last review.",
            "The content is provided as it is, without warranty. Do not present it as reviewed or endorsed by your "
            "own clinicians unless they have reviewed it.",
        ],
    },
    "es": {
        "title": "BoneCare: condiciones de uso",
        "paragraphs": [
            "Los artículos y el glosario de BoneCare son información para pacientes sobre el cáncer de hueso. No son "
            "consejo médico y no sustituyen al equipo que atiende al paciente. En una emergencia, llame al número de "
            "emergencias de su zona.",
            "El texto está escrito con palabras propias de BoneCare y se publica bajo la licencia Creative Commons "
            "Atribución 4.0 Internacional (CC BY 4.0): puede copiarlo, adaptarlo y compartirlo, también con fines "
            "comerciales, si incluye la atribución que lo acompaña, enlaza la licencia e indica si cambió el texto.",
            "Cada artículo nombra las fuentes de las que vienen sus datos. Esas fuentes conservan su propia "
            "atribución y sus derechos: se citan, no se copian, y la licencia anterior no las cubre.",
            "Cada artículo indica su estado de revisión. Una traducción que ningún profesional clínico ha revisado lo "
            "dice; muestre ese aviso con el texto, y la fecha de la última revisión.",
            "El contenido se ofrece tal cual, sin garantía. No lo presente como revisado o avalado por sus propios "
            "profesionales clínicos si no lo han revisado.",
        ],
    },
    "fr": {
        "title": "BoneCare : conditions d'utilisation",
        "paragraphs": [
            "Les articles et le glossaire de BoneCare sont des informations pour les patients sur le cancer des os. "
            "Ce ne sont pas des avis médicaux, et ils ne remplacent pas l'équipe soignante qui connaît le patient. "
            "En cas d'urgence, appelez le numéro d'urgence local.",
            "Le texte est rédigé avec les mots de BoneCare et publié sous la licence Creative Commons Attribution "
            "4.0 International (CC BY 4.0) : vous pouvez le copier, l'adapter et le partager, y compris à des fins "
            "commerciales, si vous reprenez l'attribution qui l'accompagne, donnez un lien vers la licence et "
            "indiquez si vous avez modifié le texte.",
            "Chaque article nomme les sources de ses informations. Ces sources gardent leur propre attribution et "
            "leurs droits : elles sont citées, non copiées, et la licence ci-dessus ne les couvre pas.",
            "Chaque article indique son état de relecture. Une traduction qu'aucun clinicien n'a relue le signale ; "
            "affichez cet avis avec le texte, ainsi que la date de la dernière relecture.",
            "Le contenu est fourni tel quel, sans garantie. Ne le présentez pas comme relu ou approuvé par vos "
            "propres cliniciens s'ils ne l'ont pas relu.",
        ],
    },
    "zh-hans": {
        "title": "BoneCare：使用条款",
        "paragraphs": [
            "BoneCare 的文章和术语表是关于骨癌的患者信息。它们不是医疗建议，也不能代替了解患者情况的医护团队。"
            "遇到紧急情况，请拨打当地的急救电话。",
            "这些文字由 BoneCare 用自己的话撰写，采用知识共享署名 4.0 国际许可协议（CC BY 4.0）发布："
            "您可以复制、改编和分享，包括用于商业目的，但须附上随内容提供的署名、链接到许可协议，并说明是否修改了文字。",
            "每篇文章都列出了其事实所依据的来源。这些来源保留各自的署名和权利：它们被引用而非复制，上述许可协议不适用于它们。",
            "每篇文章都说明其审核状态。未经临床医生审核的译文会注明这一点；请将该提示与文字一起显示，并显示最近一次审核的日期。",
            "内容按原样提供，不作任何保证。除非您自己的临床医生审核过，否则不要将其说成经他们审核或认可。",
        ],
    },
    "ar": {
        "title": "BoneCare: شروط الاستخدام",
        "paragraphs": [
            "مقالات BoneCare ومسرد مصطلحاته معلومات للمرضى عن سرطان العظام. وهي ليست نصيحة طبية، ولا تحل محل فريق "
            "الرعاية الذي يعرف المريض. في حالة الطوارئ، اتصل برقم الطوارئ المحلي.",
            "النص مكتوب بكلمات BoneCare الخاصة ومنشور بموجب رخصة المشاع الإبداعي نسب المصنف 4.0 الدولية (CC BY 4.0): "
            "يجوز لك نسخه وتكييفه ومشاركته، ولو لأغراض تجارية، بشرط أن تذكر النسبة المرسلة معه، وأن تضع رابطًا إلى "
            "الرخصة، وأن تبيّن ما إذا كنت قد غيّرت النص.",
            "تذكر كل مقالة المصادر التي أُخذت منها معلوماتها. وتحتفظ هذه المصادر بنسبتها وحقوقها: فهي يُستشهد بها "
            "ولا تُنسخ، ولا تشملها الرخصة المذكورة أعلاه.",
            "تذكر كل مقالة حالة مراجعتها. والترجمة التي لم يراجعها أي طبيب تقول ذلك؛ اعرض هذا التنبيه مع النص، "
            "وتاريخ آخر مراجعة.",
            "يُقدَّم المحتوى كما هو، دون أي ضمان. لا تعرضه على أنه روجع أو اعتُمد من أطبائك إلا إذا راجعوه.",
        ],
    },
}
