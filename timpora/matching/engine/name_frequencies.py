"""How often names occur, per culture, for the realistic pools of the record generator.

The first generator drew names uniformly (or Zipf on the rank) from short lists of the
commonest names only, so at a million records 71 % of its people shared their exact name
with someone else; real populations have the same heads but long tails. Each pool here is
a *head* of real names at approximately their real share of the culture's people, the rest
of the old list, and a *tail* of further plausible names (real rarer names, or names built
from the culture's own morphemes), which together carry the remainder on a Zipf-like curve
that continues the head's ranks. The figures are approximate, rounded public figures; the
source of each is given next to it. ``data.py`` builds the pools; this module only holds
the material, so that it can be read and corrected without the generator's machinery.
"""

from __future__ import annotations

from itertools import product

__all__ = ["HEADS", "TAILS", "compounds"]


def compounds(prefixes: str, suffixes: str, *, joiner: str = "") -> list[str]:
    """Every prefix + suffix, skipping a doubled letter at the seam (``YAMA`` + ``ADA``).

    The order interleaves the prefixes so that the Zipf curve over the tail does not give
    all of one prefix's names the higher ranks.
    """
    names: list[str] = []
    seen: set[str] = set()
    for suffix, prefix in product(suffixes.split(), prefixes.split()):
        name = f"{prefix}{joiner}{suffix}"
        if name not in seen and not (prefix[-1] == suffix[0] and not joiner):
            seen.add(name)
            names.append(name)
    return names


#: Head of each pool: ``NAME percent`` pairs, the percent of the culture's people (of its
#: men or women for given names) who carry the name.
HEADS: dict[str, str] = {
    # Household registration of 2019/2020 (Ministry of Public Security, "Report on the
    # names of the nation"): Wang and Li about 7.2 % each, Zhang 6.8 %, Liu 5.1 %, Chen
    # 4.5 %; the 100 commonest carry about 85 % of people.
    "chinese_family": (
        "WANG 7.2 LI 7.1 ZHANG 6.8 LIU 5.1 CHEN 4.5 YANG 3.3 HUANG 2.4 ZHAO 2.0 WU 2.0 "
        "ZHOU 1.9 XU 1.4 SUN 1.4 MA 1.3 ZHU 1.3 HU 1.2 GUO 1.1 HE 1.0 LIN 1.0 GAO 1.0 LUO 1.0"
    ),
    # Given names are one or two syllables chosen freely; the commonest syllables (Wei,
    # Ying, Min, Jing...) each appear in a few percent of names (same report: Zhang Wei,
    # the commonest full name, is about 0.02 % of people).
    "chinese_given": "WEI 3.0 YING 2.2 MING 2.0 JING 1.9 HUA 1.8 JUN 1.6 LI 1.6 HONG 1.5",
    # Statistics Korea, 2015 census: Kim 21.5 %, Lee 14.7 %, Park 8.4 %, Choi 4.7 %, Jung
    # 4.3 %; about 280 family names in all.
    "korean_family": (
        "KIM 21.5 LEE 14.7 PARK 8.4 CHOI 4.7 JUNG 4.3 KANG 2.3 CHO 2.1 YOON 2.1 JANG 2.0 "
        "LIM 1.7 HAN 1.5 OH 1.5 SEO 1.4 SHIN 1.4 KWON 1.4 HWANG 1.4 AHN 1.3 SONG 1.3"
    ),
    # Two-syllable given names: the commonest syllables (Min, Ji, Seo, Hyun...) are each in
    # a few percent of names (Supreme Court name registration statistics).
    "korean_given": "MIN 4.0 JI 3.5 SEO 3.0 HYUN 3.0 JUN 2.8 YOUNG 2.8 SU 2.5 JIN 2.5",
    # myoji-yurai.net estimates (2020): Sato about 1.87 million (1.5 %), Suzuki 1.5 %,
    # Takahashi 1.1 %, Tanaka 1.1 %; more than 100,000 surnames in use.
    "japanese_family": (
        "SATO 1.5 SUZUKI 1.45 TAKAHASHI 1.1 TANAKA 1.05 ITO 0.9 WATANABE 0.9 YAMAMOTO 0.9 "
        "NAKAMURA 0.85 KOBAYASHI 0.8 KATO 0.7 YOSHIDA 0.65 YAMADA 0.65 SASAKI 0.55"
    ),
    # No given name is carried by more than about 0.5 % of a birth cohort (Meiji Yasuda
    # name rankings); the pool mixes generations.
    "japanese_given": "HIROSHI 0.5 TAKESHI 0.4 KENJI 0.4 YUKI 0.4 AKIRA 0.35",
    # Widely cited estimates: Nguyễn about 38 %, Trần 11 %, Lê 9.5 %, Phạm 7.1 %, Hoàng
    # 5.1 %, Phan 4.5 %, Vũ/Võ 3.9 %, Đặng 2.1 %, Bùi 2 %, Đỗ 1.4 % -- really this crowded.
    "vietnamese_family": (
        "NGUYỄN 38.0 TRẦN 11.0 LÊ 9.5 PHẠM 7.1 HOÀNG 5.1 PHAN 4.5 VŨ 2.0 VÕ 1.9 ĐẶNG 2.1 "
        "BÙI 2.0 ĐỖ 1.4 HỒ 1.3 NGÔ 1.3 DƯƠNG 1.0 LÝ 0.5"
    ),
    # Given names: Anh, Linh, Huy, Minh and Trang lead baby-name lists at 2-3 % each.
    "vietnamese_given": "ANH 3.0 LINH 2.5 MINH 2.5 HUY 2.0 TRANG 2.0 NAM 1.8 HÀ 1.5",
    # Văn is the middle name of a large share of men of working age; Thị (women) is drawn
    # separately by the generator.
    "vietnamese_middle": "VĂN 35.0 HỮU 6.0 ĐỨC 6.0 MINH 6.0 NGỌC 5.0 THANH 5.0",
    # Muhammad in its spellings is by far the commonest Arab given name; estimates put it
    # near 10 % of men in Egypt and the Gulf.
    "arabic_given_m": "MUHAMMAD 10.0 AHMAD 4.0 ALI 3.0 MAHMUD 2.0 HASAN 2.0 OMAR 1.8",
    "arabic_given_f": "FATIMA 4.0 AISHA 2.5 MARYAM 2.5 NUR 2.0 ZAYNAB 1.5",
    # Large Saudi tribes (Ghamdi, Qahtani, Otaibi, Harbi) are each around 2-3 % of Saudis;
    # Egyptian and Yemeni family names are mostly ancestors' given names: a long tail.
    "arabic_family": "AL-GHAMDI 2.0 AL-QAHTANI 2.0 AL-OTAIBI 1.8 AL-HARBI 1.6 AL-ZAHRANI 1.2",
    # Malaysian registration data (JPN): Muhammad/Mohd and Nur/Siti prefixes are very
    # common; a person's second given name is spread widely.
    "malay_given_m": "MUHAMMAD 14.0 MOHD 10.0 AHMAD 6.0 ABDUL 5.0",
    "malay_given_f": "NUR 14.0 SITI 12.0 NURUL 7.0",
    "malay_father": "ABDULLAH 3.0 ISMAIL 2.0 IBRAHIM 2.0 HASSAN 2.0 OSMAN 1.5",
    # forebears.io: Musa, Ibrahim, Abubakar, Bello, Okafor each 0.5-1 % of Nigerians over
    # hundreds of ethnic groups.
    "nigerian_family": "MUSA 1.0 IBRAHIM 0.9 ABUBAKAR 0.8 BELLO 0.6 OKAFOR 0.5 ADEBAYO 0.4",
    "nigerian_given": "IBRAHIM 1.5 MUSA 1.2 EMMANUEL 1.2 BLESSING 1.0 FATIMA 1.0",
    # forebears.io: Kumar and Singh about 2.5 % each of India, Sharma 1 %, Patel 0.7 %.
    "indian_family": "KUMAR 2.5 SINGH 2.5 SHARMA 1.0 PATEL 0.7 DAS 0.7 YADAV 0.6",
    "indian_given": "RAJESH 0.8 SURESH 0.7 RAMESH 0.7 AMIT 0.6 SUNIL 0.6 PRIYA 0.6",
    # US Census 2010: Smith 0.83 %, Johnson 0.66 %, Williams 0.55 %, Brown 0.49 %, Jones
    # 0.48 %; the 1,000 commonest cover about 40 % of people. German Müller ≈ 0.3 %.
    "western_family": "SMITH 0.83 JOHNSON 0.66 WILLIAMS 0.55 BROWN 0.49 JONES 0.48 MILLER 0.38",
    # US Social Security name data, generations born 1950-2000: James, John, Robert,
    # Michael each about 3 % of men; Mary about 2.5 %, then well under 1.5 %.
    "western_given_m": "JAMES 3.2 JOHN 3.1 ROBERT 3.0 MICHAEL 2.9 DAVID 2.4 WILLIAM 2.3",
    "western_given_f": "MARY 2.5 PATRICIA 1.1 JENNIFER 1.1 LINDA 1.0 ELIZABETH 0.9",
    # Meertens Institute, Dutch family-name database (2007): de Jong 0.53 %, Jansen 0.45 %,
    # de Vries 0.43 %, van den Berg 0.36 %, van Dijk 0.35 %, Bakker 0.35 %.
    "dutch_family": (
        "DE_JONG 0.53 JANSEN 0.45 DE_VRIES 0.43 VAN_DEN_BERG 0.36 VAN_DIJK 0.35 BAKKER 0.35 "
        "JANSSEN 0.32 VISSER 0.29 SMIT 0.27 MEIJER 0.25"
    ),
    "dutch_given_m": "JAN 2.5 PIETER 1.5 HENDRIK 1.5 WILLEM 1.2 JOHANNES 1.2",
    "dutch_given_f": "ANNA 1.5 MARIA 1.5 ANNEKE 0.8 INGE 0.8",
    # Russian surname frequency studies (Balanovska et al.): Smirnov ≈ 1.9 %, Ivanov
    # ≈ 1.3 %, Kuznetsov ≈ 1 %; Aleksandr and Sergey ≈ 6 % of men of working age (Rosstat).
    "russian_family": "SMIRNOV 1.9 IVANOV 1.3 KUZNETSOV 1.0 POPOV 0.6 SOKOLOV 0.5 VASILYEV 0.45",
    "russian_given_m": "ALEKSANDR 6.0 SERGEY 5.5 DMITRIY 4.5 ANDREY 4.5 ALEKSEY 4.0 IVAN 3.0",
    "russian_given_f": "ELENA 6.0 OLGA 5.0 NATALYA 5.0 TATYANA 4.5 IRINA 4.0 SVETLANA 3.5",
    # Thai given names are chosen for meaning and are widely spread.
    "thai_given": "SOMCHAI 0.8 SOMSAK 0.6 SURIYA 0.5",
    # Philippine Statistics Authority / forebears.io: Dela Cruz ≈ 1.2 %, Garcia, Reyes
    # ≈ 0.9 %, Santos, Ramos, Mendoza ≈ 0.8 % (Spanish names from the 1849 Clavería
    # catalogue: a long tail).
    "filipino_family": "DELA_CRUZ 1.2 GARCIA 0.9 REYES 0.9 SANTOS 0.8 RAMOS 0.8 MENDOZA 0.8",
    "filipino_given": "JOSE 1.5 MARIA 1.5 JUAN 0.8 MARK 0.6",
    # Bangladesh (forebears.io): Islam, Hossain, Rahman, Ahmed ≈ 3-4 % each, Khan 2 %,
    # Uddin 2 %, Akter 3 % of women; given names compound and widely spread.
    "bangladeshi_family": "ISLAM 4.0 HOSSAIN 3.5 RAHMAN 3.5 AHMED 3.0 KHAN 2.0 UDDIN 2.0",
    "bangladeshi_given_m": "MOHAMMAD 4.0 ABDUL 3.0 MD 3.0",
    "bangladeshi_given_f": "NASRIN 1.0 SHIRIN 0.8 FATEMA 0.8",
}

_CHINESE_RARE = (
    "REN SHEN YUE QU NIU BAO XING MO JI HUO CHU ZUO LIAN GENG MI BAN HUA QI RAO ZANG MU "
    "YING GAN AI BI BIAN BO CEN CHAI CHE CHI DIAO DOU FEI FU GE GUAN HANG HUAN JIAN JIAO "
    "JING KUANG LAN LANG LENG LING LOU MAI MIAO NI NIE OU PEI PU QU RONG RUAN SANG SHA "
    "SHANG SHU SI TONG TU XIANG XIN XUAN YONG ZHAN ZHEN ZHUANG ZHUO ZI ZONG ZHAI CHONG "
    "DIAN GONGSUN SIMA OUYANG ZHUGE SHANGGUAN"
)
_PINYIN = (
    "AI BAI BEI BING CAN CE CHENG CHI CHONG CHU CHUAN CHUANG CONG CUI DA DAI DENG DI DIAN "
    "DING DUO EN FA FAN FU GAO GEN GONG GUANG GUI HANG HE HU HUAI HUANG HUO JI JIANG JIU JU "
    "JUE KE KUAN LANG LE LIAO LUN LUO MAN MAO MENG MIAO MO MU NAN NIAN NUO OU PAN PEI PIN "
    "PU QIAN QIAO QIN QIONG QIU QUAN RAN REN RU RUO SEN SHAO SHEN SHI SHUN SI SU SUI TAI "
    "TIAN TONG WAN WANG WU XIAN XIONG XIU XUAN XUN YA YE YIN YOU ZAN ZHAN ZHAO ZHE ZHOU ZHU "
    "ZHUO ZI ZONG ZUN BIAO CAN DUAN GUAN HAN JIAO KUN LIU MIAN NING PENG QIAN SHUO TING XI"
)
_KOREAN_RARE = (
    "MIN CHUN BANG GONG HYUN KIL PYO EOM WON CHEON YEO CHU DO SO SEOK SEOL MAENG JIN PI "
    "BYUN YEOM TAK KI BONG GYEONG SEUNG JEE NA MYUNG WANG YOOK GAM KEUM RA"
)
_KOREAN_SYLLABLES = (
    "SEON HWA SOO CHAN WOONG GEUN MYUNG SIK BEOM HAK KYO DEOK CHEOL SEOK HYEOK JOON YEONG "
    "YONG RAN SOOK JA OK SUN BOK NAM GYU HUI IL SUK CHANG YE EUI HONG RIN NAM GUK SEONG BAE"
)
# Japanese surnames are mostly place words: mountain, river, field, village, root, bridge.
_JAPANESE_SURNAME_PREFIXES = (
    "YAMA KAWA NAKA MATSU FUJI ISHI TAKA OKA NISHI KITA HIRA NAGA KURO SHIRA AO SUGI UME "
    "KIKU MIZU TSUCHI IWA MIYA HOSO ARA KANE SAKA HAMA OGI MAE YOSHI SHIBA TAKE HATA "
    "MURA SAKURA HOSHI KUMA TSURU KAMI SHIMO ICHI"
)
_JAPANESE_SURNAME_SUFFIXES = (
    "MOTO MURA TA DA KAWA GAWA YAMA SHITA HARA BARA SAKI ZAKI NO UCHI GUCHI SHIMA JIMA "
    "OKA MORI HASHI BAYASHI ZAWA SAWA KI TANI NUMA ZUKA DO"
)
_JAPANESE_GIVEN_ROOTS = (
    "HIRO TAKA KAZU YOSHI MASA TOSHI HIDE NOBU SHIN KEN YU RYO KO SHO DAI TETSU AKI NAO "
    "TOMO KATSU HARU SHIGE YASU MITSU TADA SADA KIYO"
)
_JAPANESE_GIVEN_M = "SHI KI TO YA HEI SUKE TARO JI ICHI HIKO NORI YUKI O"
_JAPANESE_GIVEN_F = "KO MI KA NA E YO RI HO NE"
_VIETNAMESE_GIVEN = (
    "BẢO CHI DIỆU DUY ĐÔNG GIA HẰNG HIỀN HOA HOÀI HỒNG KHOA KIÊN LỘC LỢI LUÂN MẠNH MỸ "
    "NGÂN NHÂN NHI NHUNG OANH PHÚC PHÚ QUÂN QUỲNH SANG TÀI THẮNG THỊNH THUẬN THỦY TOÀN "
    "TRÍ TRỌNG TÚ TÙNG UYÊN VÂN VINH VY XUÂN ÁNH ĐỨC HIỆP KHANG LỰC NGHĨA PHÁT TÂN TÍN "
    "TRÂM THƯ HÒA CÚC ĐÀO ĐIỆP GIÀU HẬU KHOA LAM LỄ LIÊN LOAN LY NHẬT PHONG QUYÊN SÁNG "
    "TÂN THIỆN THOA TRÚC TƯỜNG VĂN VƯƠNG XUYÊN YÊN"
)
_VIETNAMESE_FAMILY = "TRƯƠNG LƯU MAI TÔ HUỲNH TẠ LÂM QUÁCH CAO KHỔNG TÔN LA THÁI"
_VIETNAMESE_MIDDLE = "HOÀNG ANH GIA BẢO THU PHƯƠNG HỒNG QUANG TRỌNG ĐÌNH VIẾT MẠNH DUY NHƯ BÍCH"
_ARABIC_MORE_M = (
    "ADNAN AMIN ASHRAF AYMAN BASSAM EMAD FADI FAROUK FOUAD GHASSAN HAITHAM HANI HATEM HAZEM "
    "HISHAM IMAD ISSA JABER JALAL KAMAL KHALIL LUTFI MAHER MAZEN MUNIR NABIL NADER NAJIB "
    "OSAMA QASIM RAED RAMI RIYAD SABER SAMIR SHADI SHAKER TAHER TALAL TAMER WAEL YAZAN "
    "ZAHER ZUHAIR NIZAR RAFIQ SHARIF ADIL AKRAM ANWAR ARIF AZIZ FAWAZ GHAZI HABIB HUSAM "
    "JAWAD LUQMAN MAMDOUH MUSA NAIF NAWAF QAIS RAYYAN SAMEH SUHAIL THAMER WAJDI YAQUB ZAID"
)
_ARABIC_MORE_F = (
    "ABEER AFAF ALIA AMIRA ASEEL BASMA DUAA EMAN FARAH GHADA HALA HAYAT INAS JAMILA KHAWLA "
    "LAMA LUBNA MAHA MANAL MAYSA NADIA NAJLA NAWAL RABAB RASHA RAWAN RUBA SAMAR SAWSAN "
    "SHAIMA SUHA WAFAA WIDAD YARA ZEINA ZAHRA HIBA MALAK JANA RAGHAD SHAHAD LAMIS"
)
# Tribal and place adjectives (nisba) written with the article.
_ARABIC_NISBA = (
    "QURASHI ANSARI BAGHDADI HALABI DIMASHQI MAGHRIBI SUDANI SHAMI MASRI YAMANI HIJAZI "
    "NAJDI TIHAMI MAKKI MADANI TAIFI ASIRI JIZANI HADRAMI ADENI SANAANI TAIZI IBBI "
    "HASHIDI BAKILI MURADI ZUBAIDI DOSARI SUBAIE SHAHRANI BALAWI JUHANI RUWAILI ENEZI "
    "MUTAIRI SHAMMARI YAMI ASMARI AHMARI KHALDI SALMI BUKHARI SHAFII HANBALI"
)
_MALAY_MORE_M = (
    "FAIZ HAZIQ DANIAL ADAM HARIS LUQMAN AQIL IKMAL KHAIRUL NAZMI RAHIM SUFFIAN TAUFIK "
    "WAFIQ YUSRI ZAKI AZLAN BAHARUDIN HISHAM JAMALUDDIN MOKHTAR NORAZMAN RAMLI SAIFUL "
    "SHAMSUL SYAHMI ZAINAL AZRUL FAUZI HAFIZUDDIN IZZAT KAMARUL MUSTAQIM NAIM RIDHWAN"
)
_MALAY_MORE_F = (
    "AIDA AZLINA FAZLINA HANIS IZZATI JULIANA KHAIRUNNISA LIYANA MAISARAH NABILAH "
    "NORAINI NORLIZA NURHIDAYAH RAHMAH ROSLINDA SAFIAH SHAHIDA SURAYA SYAFIQAH WAHIDA "
    "ZALEHA ZARINA ATIQAH BALQIS DAYANA ELLIYANA FARHANA HAZWANI INSYIRAH MARDHIAH"
)
_YORUBA_PREFIXES = "OLU ADE OLA OYE AKIN OGUN IFE BABA FOLA AYO KOLA BAMI TOLU DAMI"
_YORUBA_SUFFIXES = (
    "WALE YEMI BAYO LEKE DIPO SEGUN TUNDE KUNLE MIDE DELE BUNMI TOPE WUMI FEMI LABI TOYE SOLA"
)
_IGBO_PREFIXES = "CHI OBI NNA UCHE EZE NWA ONYE AMA OKO IKE"
_IGBO_SUFFIXES = "NEDU EMEKA KWU DIMMA BUIKE OMA ZOR DI CHUKWU NSO KA UDO AGU"
_HAUSA = (
    "ADAMU ALIYU AMINU ABDULLAHI BALA DAHIRU GAMBO HALIRU IDRIS ISA JIBRIN KABIRU LAWAL "
    "MAHMUD MUKTAR NUHU RABIU SALISU SHUAIBU TIJJANI UMARU YAHAYA ZAKARI HADIZA HALIMA "
    "JAMILA KHADIJA MARYAM RAHMA SAFIYA ZAINAB"
)
_INDIAN_FIRST = (
    "RAJ RAM SHIV HARI JAY DEV VIJAY SURYA CHANDRA PREM RAVI ANAND GYAN KAMAL NAND DHARM "
    "SATYA INDRA SHYAM GOPAL MOHAN KRISHNA VISHNU RAMA"
)
_INDIAN_SECOND = "KUMAR NATH DEV PAL PRAKASH ENDRA VIR RAJ DAS SHANKAR KANT PRASAD MANI LAL CHAND"
_INDIAN_MORE_FAMILY = (
    "AHUJA BAJAJ BHAGAT BHARDWAJ CHANDRA CHAWLA DHAWAN GARG GOEL GOYAL GROVER HEGDE "
    "JAISWAL KAKKAR KALRA KAMATH KATARIA KAUSHIK KHATRI KOHLI LAL MADAN MAHAJAN MATHUR "
    "MITTAL NAGPAL NARANG NAYAK OBEROI PAI PARIKH PRABHU PURI RAINA RANA RASTOGI SABHARWAL "
    "SAHNI SEHGAL SHETTY SONI SOOD TANDON TANEJA UPADHYAY VOHRA WADHWA BHATNAGAR CHANDRAN "
    "GOPALAN HARIHARAN JAYARAMAN KANNAN MURUGAN NATARAJAN PADMANABHAN RAMACHANDRAN "
    "SESHADRI SUNDARAM VENKATARAMAN ACHARYA BISWAS CHAKRABORTY GANGULY MAJUMDAR SARKAR"
)
_WESTERN_PREFIXES = (
    "ASH BRAD WHIT FAIR HOLL STAN RAD CRAN BECK BURN CALD DEN ELL GARS HAR KIRK LANG "
    "MARS NORTH OAK PEN ROCK SHEL STOCK THORN WEST WOOL BRAM CHAT DRAY FERN HAVER"
)
_WESTERN_SUFFIXES = "FORD TON LEY WOOD FIELD WELL BY HAM WORTH MAN STEAD BROOK HURST COTT"
_GERMAN_PREFIXES = "EIS HOF KIRCH LIND ROSEN STEIN WALD BERG FELD BACH HOLZ SCHWARZ WEISS"
_GERMAN_SUFFIXES = "MANN BERGER ER HAUSER MEIER INGER"
_WESTERN_MORE_M = (
    "ADAM ALAN ARTHUR BRUCE CARL CRAIG DENNIS DONALD DOUGLAS EDGAR ERIC EUGENE FRANK GARY "
    "GERALD HAROLD IAN JACOB JEFFREY JEREMY JOSEPH KEITH LARRY LUKE MAX NEIL OSCAR PHILIPPE "
    "RALPH ROGER RONALD ROSS RYAN SEAN STUART TERRY TODD TREVOR WALTER WAYNE BERND JOERG "
    "UWE RALF JENS HOLGER KARSTEN ERIK FELIX HUGO LOUIS THEO ARNAUD BENOIT CEDRIC DIDIER"
)
_WESTERN_MORE_F = (
    "ABIGAIL AMY ANDREA ANGELA BARBARA BETTY BRENDA CAROL CHRISTINE CYNTHIA DEBORAH DONNA "
    "DOROTHY EMILY EVELYN FIONA GLORIA HEATHER IRENE JACQUELINE JOAN JUDITH JULIE KATE "
    "KIMBERLY MEGAN MELISSA MICHELLE NATALIE NICOLE PAMELA ROSE RUTH SANDRA SHARON TERESA "
    "VALERIE WENDY BIRGIT GABRIELE HEIKE KATRIN SILKE SUSANNE BRIGITTE ELODIE MATHILDE"
)
_DUTCH_ROOTS = (
    "BERG BROEK HOEK KAMP VELDE WAL MEER LINDEN POL ZANDEN BOSCH HEUVEL BRINK DAM LAAN "
    "STEEG HORST HOUT WERF BEEK DIJK GRAAF HAAR LOO VEEN ZIJL KERK MOLEN BURG ACKER "
    "HOF ESCH VELD KAMPEN HEIDE LEE SCHOOT RIJN MAAS VLIET HAVEN WOUDE SLUIS "
    "HAM BROEKE WATERING WETERING BERKEL HOORN ZANDT BEUKEN EYCK STRATEN WAARD DONK "
    "OOSTEN WESTEN NOORD ZUIDEN ELST HEIJDEN LEEUWEN HULST MERWE GEEST ENDE"
)
# Occupations and patronymics, the other large Dutch families of names.
_DUTCH_MORE_FAMILY = (
    "MOLENAAR SCHILDER KUIPER SMID WEVER TIMMERMAN VERVER KOOPMAN SCHIPPER BOUWMAN "
    "HOVENIER KLOMPMAKER SCHUURMAN VELDMAN HOFMAN BRINKMAN LAMMERS GERRITSEN PIETERSEN "
    "WILLEMSEN CLAASSEN DIRKSEN HENDRIKSEN MARTENS REINDERS HARMSEN JORRITSMA EVERTS "
    "WOUTERS GOVERS THIJSSEN LAMBERTS ARENDS BERENDS FRANSEN WESSELS HUBERTS AALDERS"
)
_DUTCH_PARTICLES = "VAN_DE VAN_DER VAN_DEN VAN TER TEN"
_FRISIAN_ROOTS = "HOEK DIJK POST BOS WIER ZIJL TJAL SIK BAK HOLT KUIP VISS"
_DUTCH_MORE_M = (
    "ARJAN BAS DENNIS ERIK FRANK HANS HUGO JAAP JORIS KOEN LUUK MARCO MARK MILAN NOAH "
    "OLAF PAUL RICK ROB SANDER THOMAS TIM TOM VINCENT"
)
_DUTCH_MORE_F = (
    "AMBER ANNE BRITT CHANTAL DEMI ELLEN ESTHER HANNEKE IRIS JOLANDA KIM LIEKE LINDA MARLEEN "
    "MIRJAM MONIQUE PETRA RIANNE SOPHIE WENDY YVONNE ZOE"
)
_RUSSIAN_ROOTS = (
    "BELOUS BOGDAN VOROBY GRACH DROZD ZHURAVL KARP KOMAR LAPT OREKH PETUKH RYB SAVEL "
    "TIKHON USTIN FILIPP KHARIT CHERN SHCHERB YAKUSH GERASIM DANIL YEFIM KALIN SHUB "
    "TERENT BULGAK GORBACH ZUB KOLESNIK KRYUK LOGIN MARTYN NAUM OSIP PROKHOR RODION SIDOR "
    "TROFIM FOM KHOMYAK CHUMAK SHIRYAY ABRAM AKIM BARAN BESPAL BLIN BOBR BUKH "
    "BURLAK VERSH VOLOSH GALK GOLUB GONCHAR GROM GUBAN DEMID DOROFE ZHDAN ZIM "
    "ZOT IGNAT KAZAK KAPUST KLIM KOVAL KONDRAT KOSHEL KRASN KRYL KUDRYASH LAVRENT "
    "LARION LYSENK MAMONT MALYSH MIRON MOLCHAN NESTER NOSK OBUKH OVCHINNIK PANKRAT "
    "PEST POTAP PYATAK RAZ ROG RUSAK SAMOYL SVIRID SELEZN SKVORTS SOBOL STARIK "
    "SUKH TELEG TOLST TRETYAK FADE FOK KHOKHL TSVETK CHEREPAN CHIZH SHAPOSHNIK "
    "SHEVCHUK SHIL SHUMIL SHCHUK YUD YASH ANISIM VAKHRUSH GURYAN YERMAK EFREM"
)
_RUSSIAN_MORE_M = "ARKADIY BOGDAN DANIIL EDUARD GLEB LEV MARK NAZAR PETR SEMEN TIMOFEY YAROSLAV"
_RUSSIAN_MORE_F = "ALLA DIANA INNA KRISTINA LILIYA MILANA NINA REGINA TAMARA ULYANA YANA ZHANNA"
_THAI_GIVEN_ROOTS = "SOM SUK PORN SIRI WAN CHAI KIT ANAN BOON NAT PRA RAT THA WICH APHI CHAN"
_THAI_GIVEN_ENDS = "CHAI SAK PONG PORN WAN RAT THIP NEE TA DA YA WUT NON"
_FILIPINO_MORE_FAMILY = (
    "AGUILAR ALVAREZ CORTEZ DOMINGO ESTRADA GOMEZ HERNANDEZ IGNACIO JIMENEZ LOPEZ "
    "MARTINEZ ORTIZ PEREZ QUIZON ROQUE SANCHEZ UY VELASCO YAP ZAMORA ABAD AGUSTIN "
    "ALCANTARA ANDRADA ARELLANO BALDOVINO BERNARDO CABALLERO CAPISTRANO CASTRO CORPUZ "
    "DAVID DIAZ ESCOBAR ESPINOSA EVANGELISTA FRANCISCO GALANG GUEVARRA HIZON JAVIER "
    "LAGMAN LUNA MACAPAGAL MANALANG MARQUEZ MERCADO MIRANDA MORALES NATIVIDAD PADILLA "
    "PAGUIO PANGILINAN PINEDA QUIAMBAO RIVERA ROXAS SALAZAR SAMSON SERRANO SIMBULAN "
    "SUAREZ TIONGSON TUAZON VALENZUELA VERGARA VILLAR YUMUL BALAGTAS DIMACULANGAN "
    "MAGSAYSAY LAPUZ LIWANAG MALONZO SUMULONG TANGLAO"
)
_FILIPINO_MORE_GIVEN = (
    "ALJON ANGELICA ARIEL BEA CARLO CHRISTIAN DARWIN DIANA EDWIN ELMER FLORDELIZA GERALD "
    "JAYSON JENNY JERICHO JOVELYN JUNJIE KRISTINE LEA LORENZO MARIEL MARVIN NOEL PRINCESS "
    "RACHELLE REGINE RONALDO ROSARIO SHIELA TERESITA VILMA WENDELL"
)
_BANGLA_ROOTS = (
    "RAFIQ SHAFIQ AMIN NAZR SAIF MONIR ZAHID MAHFUZ MIZAN HABIB ATIQ MOSTAFIZ ARIF SHAHID "
    "KAMR ANIS ASHRAF KHAIR HASIB AZIZ JAHID MAHBUB MASUD SHAMS MOKLES FAZL ANWAR HAFIZ"
)
_BANGLA_GIVEN_M = (
    "TANVIR FARHAN SAKIB RUBEL SOHEL JAHANGIR DELWAR FARUK MAMUN RIPON SUMON LITON TAREQ "
    "SHAKIL RASEL MASUM IMRAN RAKIB NAYEEM SHUVO"
)
_BANGLA_GIVEN_F = (
    "RUMANA TASLIMA SHAHNAZ NAZMA RAHIMA HALIMA SALMA RESHMA SHAMIMA FARZANA MOUSUMI "
    "SUMAIYA TANIA RUPA JANNATUL NUSRAT SABINA MORIUM SHAPLA LIPI POPY RIMA SHARMIN"
)
_BANGLA_FAMILY = (
    "AKTER BEGUM CHOWDHURY MIAH SARKER DAS ROY ALAM HAQUE MIA SHEIKH TALUKDER MONDAL BISWAS "
    "SULTANA KARIM KABIR HASAN ALI MOLLA BHUIYAN SIKDER HOWLADER PAUL SAHA GHOSH MAJUMDER "
    "AKHTER SIDDIQUE MRIDHA PATWARY MUNSHI KHANDAKER SARDER FAKIR GAZI MALLICK"
)

#: Tail of each pool, after the head and the rest of the old list: rarer real names and
#: names built from the culture's morphemes.
TAILS: dict[str, list[str]] = {
    "chinese_family": _CHINESE_RARE.split(),
    "chinese_given": _PINYIN.split(),
    "korean_family": _KOREAN_RARE.split(),
    "korean_given": _KOREAN_SYLLABLES.split(),
    "japanese_family": compounds(_JAPANESE_SURNAME_PREFIXES, _JAPANESE_SURNAME_SUFFIXES),
    "japanese_given": compounds(_JAPANESE_GIVEN_ROOTS, _JAPANESE_GIVEN_M)
    + compounds(_JAPANESE_GIVEN_ROOTS, _JAPANESE_GIVEN_F),
    "vietnamese_family": _VIETNAMESE_FAMILY.split(),
    "vietnamese_given": _VIETNAMESE_GIVEN.split(),
    "vietnamese_middle": _VIETNAMESE_MIDDLE.split(),
    "arabic_given_m": _ARABIC_MORE_M.split(),
    "arabic_given_f": _ARABIC_MORE_F.split(),
    "arabic_family": [f"AL-{n}" for n in _ARABIC_NISBA.split()] + _ARABIC_MORE_M.split(),
    "malay_given_m": _MALAY_MORE_M.split(),
    "malay_given_f": _MALAY_MORE_F.split(),
    "malay_father": _MALAY_MORE_M.split() + _ARABIC_MORE_M.split(),
    "nigerian_family": compounds(_YORUBA_PREFIXES, _YORUBA_SUFFIXES)
    + compounds(_IGBO_PREFIXES, _IGBO_SUFFIXES)
    + _HAUSA.split(),
    "nigerian_given": compounds(_IGBO_PREFIXES, _IGBO_SUFFIXES)
    + compounds(_YORUBA_PREFIXES, _YORUBA_SUFFIXES)
    + _HAUSA.split(),
    "indian_family": _INDIAN_MORE_FAMILY.split(),
    "indian_given": compounds(_INDIAN_FIRST, _INDIAN_SECOND),
    "western_family": compounds(_WESTERN_PREFIXES, _WESTERN_SUFFIXES)
    + compounds(_GERMAN_PREFIXES, _GERMAN_SUFFIXES),
    "western_given_m": _WESTERN_MORE_M.split(),
    "western_given_f": _WESTERN_MORE_F.split(),
    "dutch_family": compounds(_DUTCH_PARTICLES, _DUTCH_ROOTS, joiner="_")
    + compounds(_FRISIAN_ROOTS, "STRA SMA INGA ENGA")
    + compounds(_DUTCH_ROOTS.replace("", ""), "MAN S")
    + _DUTCH_MORE_FAMILY.split(),
    "dutch_given_m": _DUTCH_MORE_M.split(),
    "dutch_given_f": _DUTCH_MORE_F.split(),
    "russian_family": compounds(_RUSSIAN_ROOTS, "OV IN YEV"),
    "russian_given_m": _RUSSIAN_MORE_M.split(),
    "russian_given_f": _RUSSIAN_MORE_F.split(),
    "thai_given": compounds(_THAI_GIVEN_ROOTS, _THAI_GIVEN_ENDS),
    "filipino_family": _FILIPINO_MORE_FAMILY.split(),
    "filipino_given": _FILIPINO_MORE_GIVEN.split(),
    "bangladeshi_family": _BANGLA_FAMILY.split(),
    "bangladeshi_given_m": compounds(_BANGLA_ROOTS, "UL UR") + _BANGLA_GIVEN_M.split(),
    "bangladeshi_given_f": _BANGLA_GIVEN_F.split(),
}
