"""Synthetic foreign-national records with realistic noise and known truth.

Real supervision data cannot leave the office, so the engine is measured on people made up
here: names from the cultures most seen in Serang and Indonesia's deportation statistics
(China, Malaysia, Nigeria, Vietnam, India, Korea, Japan, the Arab world, Europe, ...), each
person seen one to six times by different sources (permit office, hotels, police, field
checks), and every sighting damaged the way clerks and scanners damage them:
transliteration variants the normaliser knows and some it does not, family name first or
last, given-name syllables joined or hyphenated, particles dropped, typos, OCR errors in
the passport number, a renewed passport with a new number, day and month swapped, partial or
missing dates, missing fields. Relatives (same family name, close passport numbers, twins)
and namesakes are generated on purpose as hard non-matches.

Names are drawn at realistic frequencies per culture (``name_frequencies``: the head of
each culture's distribution at its real share, then a long tail), so that namesakes are as
common as in real populations: crowded where the culture is (Nguyễn, Kim), not elsewhere.
``crowded=True`` keeps the first generator's short, crowded lists as a stress test.

The generator is deterministic for a seed, streams rows (a million records never sit in a
list) and needs nothing outside the standard library.
"""

from __future__ import annotations

import csv
import random
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from timpora.matching.engine.name_frequencies import HEADS, TAILS

__all__ = [
    "COLUMNS",
    "PairwiseMetrics",
    "Person",
    "generate_records",
    "pairwise_metrics",
    "write_records_csv",
]

#: Columns of a generated file: the link input columns plus the true person id.
COLUMNS = (
    "record_id",
    "source",
    "full_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
    "person_id",
)


def _words(text: str) -> list[str]:
    return text.split()


# --- name material -------------------------------------------------------------------------
# Lists are ordered roughly by frequency: sampling uses Zipf-like weights on the rank.

CHINESE_FAMILY = _words(
    "WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU XU SUN MA ZHU HU GUO HE GAO LIN LUO "
    "ZHENG LIANG XIE SONG TANG XU HAN FENG DENG CAO PENG ZENG XIAO TIAN DONG YUAN PAN YU "
    "JIANG CAI JIA DING WEI XUE YE YAN SU LU PAN DU DAI XIA ZHONG WANG TAO JIANG FAN FANG "
    "SHI YAO TAN LIAO ZOU XIONG JIN LU HAO KONG BAI CUI KANG MAO QIU QIN JIANG SHI GU HOU "
    "SHAO MENG LONG WAN DUAN LEI QIAN TANG YIN LI YI CHANG WU QIAO HE LAI GONG WEN"
)
CHINESE_SYLLABLES = _words(
    "WEI MING HUA JIAN GUO JUN LI HONG YING XIAO JING LIN YAN FANG PING HAO YU TAO BIN "
    "QIANG LEI JIE FENG YONG CHAO GANG HUI BO KAI XIN LAN MEI NA TING YI YUN XIA ZHI "
    "JIA QI YANG HAI SHAN DONG KANG RUI CHEN LONG PENG JIN XUE CHUN LING WEN HUAN LU "
    "SHENG ZHEN BAO RONG XIANG DE MIN NING HONG JUAN QING CAI FEI GE DAN SONG ZHONG AN "
    "XU HENG KUN YUE YAO ZE HAN SHU XI YUAN CHANG LIANG SHUANG JIAO LIANG XING"
)
# Pinyin → the spellings other systems use (Wade-Giles, Cantonese, Hokkien), some of which
# the normaliser does not know (they must be caught by the fuzzy levels).
CHINESE_VARIANTS = {
    "ZHANG": ["CHANG", "CHEUNG"],
    "XU": ["HSU", "TSUI"],
    "ZHOU": ["CHOU", "CHOW"],
    "HUANG": ["WONG", "HWANG"],
    "CAI": ["TSAI", "CHUA", "CHOI"],
    "CHEN": ["CHAN", "TAN", "CHERN"],
    "LIN": ["LAM", "LIM"],
    "WU": ["NG", "GOH"],
    "GUO": ["KUO", "KWOK"],
    "LIU": ["LAU", "LIEW"],
    "YANG": ["YEUNG"],
    "LIANG": ["LEUNG"],
    "JIANG": ["CHIANG"],
    "XIE": ["HSIEH", "TSE"],
    "ZHAO": ["CHAO", "CHIU"],
    "ZHU": ["CHU", "CHOO"],
    "ZENG": ["TSENG", "TSANG"],
    "LI": ["LEE"],
    "XIAO": ["HSIAO", "SIU"],
    "ZHI": ["CHIH"],
    "XIN": ["HSIN"],
    "XIANG": ["HSIANG"],
    "ZHENG": ["CHENG", "CHEANG"],
    "GAO": ["KAO", "KO"],
    "HE": ["HO"],
    "LUO": ["LO", "LAW"],
}

KOREAN_FAMILY = _words(
    "KIM LEE PARK CHOI JUNG KANG CHO YOON JANG LIM HAN OH SEO SHIN KWON HWANG AHN SONG "
    "JEON HONG YU KO MOON YANG SON BAE BAEK HEO NAM SIM NOH HA KWAK SUNG CHA JOO WOO GOO"
)
KOREAN_SYLLABLES = _words(
    "MIN JUN SEO YEON JI HOON WOO HYUN SU JIN YOUNG HO SEUNG EUN HYE JAE SUNG DONG KYUNG "
    "MI JOO HEE YOUNG TAE SANG CHUL GI WON JONG IN HA NA YUN BIN DA IN SOO KYU HWAN"
)
KOREAN_VARIANTS = {
    "LEE": ["YI", "RHEE", "RI"],
    "PARK": ["PAK", "BAK"],
    "CHOI": ["CHOE", "CHOY"],
    "JUNG": ["CHUNG", "JEONG"],
    "YOON": ["YUN"],
    "KANG": ["GANG"],
    "CHO": ["JO"],
    "SHIN": ["SIN"],
    "KIM": ["GIM"],
    "LIM": ["IM", "RIM"],
    "SEO": ["SUH"],
    "JEON": ["CHUN", "JUN"],
    "YU": ["YOO", "RYU"],
    "KO": ["GO", "KOH"],
}

JAPANESE_FAMILY = _words(
    "SATO SUZUKI TAKAHASHI TANAKA WATANABE ITO YAMAMOTO NAKAMURA KOBAYASHI KATO YOSHIDA "
    "YAMADA SASAKI YAMAGUCHI MATSUMOTO INOUE KIMURA HAYASHI SAITO SHIMIZU YAMAZAKI MORI "
    "ABE IKEDA HASHIMOTO YAMASHITA ISHIKAWA NAKAJIMA MAEDA FUJITA OGAWA GOTO OKADA HASEGAWA "
    "MURAKAMI KONDO ISHII SAKAMOTO ENDO AOKI FUJII NISHIMURA FUKUDA OTA MIURA OKAMOTO "
    "MATSUDA NAKAGAWA OHNO ONO KUDO"
)
JAPANESE_GIVEN = _words(
    "HIROSHI TAKESHI KENJI YUKI AKIRA SATOSHI KAZUO YOSHIKO KEIKO YUKO TOMOKO HARUTO SOTA "
    "YUTO RIKU HINA YUI AOI SAKURA DAICHI SHOTA KOJI YUJI RYOTA TAKUYA NAOKI MEGUMI AYUMI "
    "KAORI MASAKI SHUJI JUNICHI KOICHI SHINJI YOSUKE YUSUKE TARO JIRO KOHEI RYUSEI "
    "HARUKI KAITO SOSUKE TAKUMI YAMATO HAYATO REN MINATO ITSUKI ASAHI HIROKI KAZUKI TOMOYA "
    "NAOYA TATSUYA SHUNSUKE KENTA RYOSUKE MASATO TOSHIYUKI HIDEKI NOBUO MAKOTO OSAMU "
    "ISAMU MINORU SUSUMU TSUTOMU AKIKO EMIKO FUMIKO HARUKA MISAKI NANAMI RIN MIO MIYU "
    "SAKI NATSUKI AYAKA MAI ERIKA CHIHIRO NAOMI REIKO SACHIKO TOMOMI YUMIKO KANA"
)
# Long vowels written the Hepburn, Kunrei and passport ways.
JAPANESE_LONG = {
    "SATO": ["SATOU", "SATOH"],
    "ITO": ["ITOU", "ITOH"],
    "KATO": ["KATOU", "KATOH"],
    "SAITO": ["SAITOU", "SAITOH"],
    "GOTO": ["GOTOU", "GOTOH"],
    "ENDO": ["ENDOU", "ENDOH"],
    "KONDO": ["KONDOU", "KONDOH"],
    "KUDO": ["KUDOU", "KUDOH"],
    "OTA": ["OOTA", "OHTA"],
    "ONO": ["OONO", "OHNO"],
    "OHNO": ["ONO", "OONO"],
    "YUKI": ["YUUKI"],
    "KOJI": ["KOUJI", "KOHJI"],
    "YUJI": ["YUUJI"],
    "SHOTA": ["SHOUTA"],
    "KOICHI": ["KOUICHI", "KOHICHI"],
    "YOSUKE": ["YOUSUKE"],
    "YUSUKE": ["YUUSUKE"],
    "RYOTA": ["RYOUTA"],
    "SOTA": ["SOUTA"],
    "TARO": ["TAROU"],
    "JIRO": ["JIROU"],
    "KOHEI": ["KOUHEI"],
    "SHUJI": ["SHUUJI"],
    "JUNICHI": ["JUNNICHI"],
    "YUTO": ["YUUTO"],
}

VIETNAMESE_FAMILY = _words(
    "NGUYỄN TRẦN LÊ PHẠM HOÀNG PHAN VŨ VÕ ĐẶNG BÙI ĐỖ HỒ NGÔ DƯƠNG LÝ ĐINH TRƯƠNG LƯU MAI TÔ"
)
VIETNAMESE_MIDDLE = _words("VĂN THỊ HỮU ĐỨC MINH NGỌC THANH QUỐC XUÂN KIM CÔNG")
VIETNAMESE_GIVEN = _words(
    "AN ANH BÌNH CHÂU CƯỜNG DŨNG DUNG GIANG HÀ HẢI HẠNH HÙNG HƯƠNG HUY KHÁNH LAN LINH "
    "LONG MAI MINH NAM NGA NGỌC PHONG PHƯƠNG QUANG SƠN TÂM THẢO THÀNH THU TIẾN TRANG "
    "TRUNG TUẤN VIỆT YẾN HIẾU ĐẠT"
)

ARABIC_GIVEN_M = _words(
    "MUHAMMAD AHMAD ALI HASAN HUSSEIN OMAR KHALID ABDULLAH YUSUF IBRAHIM MAHMUD MUSTAFA "
    "SAID HAMID RASHID FAISAL SAAD SULTAN FAHAD NASSER TARIQ ZIYAD WALID KARIM SAMI "
    "MAJID ADEL JAMAL BILAL HAMZA ANAS YASSER AMMAR MANSOUR SALEH SALMAN BADR TURKI "
    "ABDULRAHMAN ABDULAZIZ ABDULKARIM ABDELRAHMAN ABUBAKR ISMAIL IDRIS YAHYA ZAKARIYA"
)
ARABIC_GIVEN_F = _words(
    "FATIMA AISHA MARYAM ZAYNAB KHADIJA NUR LAYLA SARA HIND AMAL HANAN REEM NOURA MONA "
    "HUDA SALMA RANIA DANA LINA ASMA YASMIN"
)
ARABIC_FAMILY = _words(
    "AL-GHAMDI AL-QAHTANI AL-OTAIBI AL-HARBI AL-ZAHRANI AL-SHEHRI AL-DOSARI AL-MUTAIRI "
    "AL-SHAMMARI AL-ANAZI AL-MALKI AL-RASHID AL-HASHIMI AL-SAYED HADDAD KHOURY MANSOUR "
    "NASSER HAMDAN SALEH ABBAS AL-AMRI AL-SAADI AL-BAKRI AL-JABRI EL-MASRY EL-SHERIF "
    "AL-TAMIMI AL-KHATIB AL-NAJJAR AL-HUSSEINI BA-WAZIR AL-AIDAROUS BIN-LADEN AL-KATHIRI "
    "AL-YAFEI AL-HADRAMI SHAHIN MAHMOUD IBRAHIM OSMAN ABDELAZIZ FARAG GHANEM"
)
ARABIC_VARIANTS = {
    "MUHAMMAD": ["MOHAMMED", "MOHAMED", "MOHAMMAD", "MUHAMMED", "MOHAMAD", "MOHD", "MAHOMED"],
    "AHMAD": ["AHMED"],
    "HASAN": ["HASSAN"],
    "HUSSEIN": ["HUSSAIN", "HUSEIN", "HOSSEIN", "HUSAIN"],
    "OMAR": ["UMAR"],
    "KHALID": ["KHALED"],
    "ABDULLAH": ["ABDALLAH", "ABDULLA", "ABD ALLAH"],
    "YUSUF": ["YOUSEF", "YOUSSEF", "YOUSIF"],
    "IBRAHIM": ["EBRAHIM", "IBRAHEEM"],
    "MAHMUD": ["MAHMOUD", "MAHMOOD"],
    "MUSTAFA": ["MOSTAFA", "MUSTAPHA"],
    "SAID": ["SAEED", "SAYED"],
    "HAMID": ["HAMED", "HAMEED"],
    "RASHID": ["RASHEED", "RACHID"],
    "FAHAD": ["FAHD", "FAHED"],
    "ZIYAD": ["ZIAD", "ZIAD"],
    "WALID": ["WALEED"],
    "KARIM": ["KAREEM"],
    "MAJID": ["MAJED", "MAJEED"],
    "JAMAL": ["GAMAL"],
    "YASSER": ["YASIR", "YASER"],
    "MANSOUR": ["MANSUR"],
    "SALEH": ["SALIH", "SALEH"],
    "ABDULRAHMAN": ["ABDUL RAHMAN", "ABDURRAHMAN", "ABD AL-RAHMAN", "ABDELRAHMAN"],
    "ABDULAZIZ": ["ABDUL AZIZ", "ABDELAZIZ", "ABD AL-AZIZ"],
    "ABDULKARIM": ["ABDUL KARIM", "ABDELKARIM"],
    "ABDELRAHMAN": ["ABDUL RAHMAN", "ABDULRAHMAN"],
    "ABUBAKR": ["ABU BAKR", "ABUBAKAR", "ABU BAKAR"],
    "ZAKARIYA": ["ZAKARIA", "ZAKARIYYA"],
    "FATIMA": ["FATIMAH", "FATMA"],
    "AISHA": ["AISHAH", "AYESHA"],
    "MARYAM": ["MARIAM"],
    "ZAYNAB": ["ZAINAB", "ZEINAB"],
    "KHADIJA": ["KHADIJAH", "KHADEEJA"],
    "NUR": ["NOOR", "NOUR"],
    "LAYLA": ["LEILA", "LAILA"],
    "YASMIN": ["YASMINE", "JASMIN"],
    "NOURA": ["NORA", "NURA"],
}

MALAY_GIVEN_M = _words(
    "AHMAD MOHD MUHAMMAD ABDUL AZMAN HAFIZ FAIZAL RIZAL ISMAIL HASSAN ZULKIFLI AMIR "
    "AIMAN HAKIM IRFAN SYAFIQ NAZRI RAZAK KAMAL ROSLAN SHAHRUL ARIFF IQBAL FIRDAUS"
)
MALAY_GIVEN_F = _words(
    "SITI NUR NURUL FARAH AISYAH ZURAIDA NORHAYATI ROSNAH AZIZAH SALMAH FATIMAH HASNAH "
    "NADIA AMIRA SYAZWANI AIN"
)
MALAY_FATHER = _words(
    "ISMAIL ABDULLAH HASSAN OSMAN YUSOF IBRAHIM OMAR RAHMAN HAMID ZAKARIA AHMAD ALI "
    "MAHMUD SALLEH ARIFFIN MOHAMED HUSSIN JAAFAR KASSIM DAUD"
)

NIGERIAN_GIVEN = _words(
    "OLUWASEUN CHUKWUEMEKA ABUBAKAR EMEKA NGOZI CHIOMA ADEBAYO FUNMILAYO IBRAHIM MUSA "
    "BABATUNDE OLUWATOBI IFEANYI CHINEDU AISHA FATIMA SANI USMAN TUNDE KEHINDE TAIWO "
    "OBINNA UCHENNA NNAMDI AMAKA BLESSING GODWIN SUNDAY FRIDAY PRECIOUS EMMANUEL DANIEL "
    "SAMUEL JOSEPH ADEOLA ADEWALE AYODELE BOLAJI DAYO FOLASADE GBENGA IYABO JUMOKE KAYODE "
    "OLUFEMI OLUWADAMILARE SEGUN TEMITOPE YETUNDE CHIDI CHIKA EBERE IKECHUKWU KELECHI "
    "NKECHI OBIORA ONYEKA UZOMA ALIYU AMINU BASHIR HAUWA KABIRU NASIRU SHEHU ZAINAB"
)
NIGERIAN_FAMILY = _words(
    "OKAFOR ADEBAYO OKONKWO BELLO ABUBAKAR MUSA EZE OGUNLEYE ADEYEMI NWOSU OBI IBRAHIM "
    "OLADIPO ONYEKACHI AFOLABI OKEKE YUSUF CHUKWU OKORO ADELEKE OYELARAN UCHE NWACHUKWU "
    "ABDULLAHI SULEIMAN OGUNDIPE ALABI OKOYE AKINWALE ETIM ADEWUMI BABALOLA FASHOLA "
    "OJO OLAWALE OYEBANJI SOYINKA AGU ANYANWU EKWUEME IHEANACHO NWANKWO OBIAGELI ONWUKA "
    "UDEH DANJUMA GARBA LAWAL SANI SHAGARI TANKO YAKUBU ZUBAIRU"
)

INDIAN_GIVEN = _words(
    "RAJESH SURESH RAMESH AMIT RAHUL VIJAY SANJAY ANIL SUNIL PRIYA POOJA ANITA SUNITA "
    "DEEPAK MANOJ ARJUN KIRAN RAVI ASHOK VIKRAM NEHA KAVITA LAKSHMI SRINIVAS VENKATESH "
    "MOHAN GANESH HARISH PRAKASH NAVEEN ARUN KUMAR SANDEEP ADITYA ABHISHEK AKASH ANKIT "
    "ANAND BALAJI CHANDRA DINESH GAURAV GOPAL HEMANT JAGDISH KARTHIK KRISHNA MAHESH "
    "MUKESH NARESH NITIN PANKAJ RAJIV RAKESH SATISH SHANKAR SIDDHARTH SUBRAMANIAN "
    "VARUN VINOD YOGESH AISHWARYA ANJALI DIVYA GEETA JYOTI MEENA NISHA RADHA REKHA "
    "SHALINI SHWETA SWATI USHA VIDYA"
)
INDIAN_FAMILY = _words(
    "KUMAR SHARMA SINGH PATEL GUPTA REDDY RAO NAIR IYER SHAH MEHTA JAIN VERMA YADAV "
    "MISHRA PILLAI MENON CHOPRA KAPOOR DAS BOSE BANERJEE CHATTERJEE MUKHERJEE AGARWAL "
    "JOSHI DESAI KULKARNI PANDEY TIWARI SAXENA SRIVASTAVA CHAUHAN RATHORE THAKUR BHATT "
    "TRIVEDI DUBEY SINHA GHOSH SEN DUTTA NAIDU CHOWDHURY KRISHNAN SUBRAMANIAM RAJAN "
    "MALHOTRA BHATIA SETHI ARORA KHANNA GILL SANDHU GREWAL DHILLON"
)

WESTERN_GIVEN_M = _words(
    "JOHN MICHAEL DAVID JAMES ROBERT WILLIAM THOMAS PETER MARK PAUL RICHARD DANIEL "
    "ANDREW CHRISTOPHER MATTHEW STEVEN BRIAN KEVIN JASON SCOTT MARTIN STEFAN ANDREAS "
    "KLAUS JUERGEN PIERRE JEAN LUC FRANCOIS NICOLAS LUCAS OLIVER JACK HARRY GEORGE LIAM "
    "NOAH ETHAN SAMUEL BENJAMIN ALEXANDER ANTHONY CHARLES EDWARD FREDERICK GREGORY HENRY "
    "JOSHUA JONATHAN JULIAN KENNETH LAWRENCE LEONARD NATHAN PATRICK PHILIP RAYMOND SEBASTIAN "
    "SIMON TIMOTHY VINCENT WOLFGANG DIETER HELMUT MATTHIAS TOBIAS FLORIAN ANTOINE JULIEN"
)
WESTERN_GIVEN_F = _words(
    "MARY PATRICIA JENNIFER LINDA ELIZABETH SUSAN JESSICA SARAH KAREN NANCY LISA EMMA "
    "SOPHIE ANNA MARIA JULIA LAURA CHARLOTTE OLIVIA AMELIA EMILY CHLOE INGRID SABINE "
    "CLAIRE ISABELLE MARIE HANNAH LENA ALICE CAROLINE CATHERINE DIANA ELEANOR GRACE "
    "HELEN JANE KATHERINE LOUISE LUCY MARGARET REBECCA RACHEL STEPHANIE VICTORIA "
    "MONIKA PETRA URSULA CLAUDIA CHANTAL CELINE MANON AURELIE"
)
WESTERN_FAMILY = _words(
    "SMITH JOHNSON WILLIAMS BROWN JONES MILLER DAVIS WILSON TAYLOR ANDERSON THOMAS "
    "MOORE MARTIN JACKSON THOMPSON WHITE HARRIS CLARK LEWIS ROBINSON WALKER YOUNG ALLEN "
    "KING WRIGHT SCOTT GREEN BAKER ADAMS NELSON HILL CAMPBELL MITCHELL ROBERTS CARTER "
    "MUELLER SCHMIDT SCHNEIDER FISCHER WEBER MEYER WAGNER BECKER DUBOIS MARTIN BERNARD "
    "DURAND LEFEBVRE MOREAU O'BRIEN O'CONNOR MACDONALD MCCARTHY PHILLIPS EVANS TURNER "
    "PARKER COLLINS EDWARDS STEWART MORRIS MURPHY COOK ROGERS MORGAN PETERSON COOPER REED "
    "BAILEY BELL KELLY HOWARD WARD COX RICHARDSON WOOD WATSON BROOKS BENNETT GRAY HUGHES "
    "PRICE SANDERS MYERS LONG ROSS FOSTER HOFFMANN SCHULZ KOCH RICHTER KLEIN WOLF "
    "SCHROEDER NEUMANN SCHWARZ ZIMMERMANN BRAUN KRUEGER HARTMANN LANGE WERNER KRAUSE "
    "LAMBERT BONNET FRANCOIS MARTINEZ LEGRAND GARNIER FAURE ROUSSEAU BLANC GUERIN MULLER "
    "HENRY ROUSSEL NICOLAS PERRIN MORIN MATHIEU CLEMENT GAUTHIER DUMONT LOPEZ FONTAINE"
)
DUTCH_GIVEN_M = _words(
    "PIETER JAN HENDRIK WILLEM JOHANNES DAAN SEM LEVI BRAM LARS THIJS JESSE RUUD KEES "
    "GERRIT DIRK JOOST MAARTEN SJOERD WOUTER BART JEROEN NIELS RUBEN STIJN TEUN FLORIS"
)
DUTCH_GIVEN_F = _words(
    "ANNEKE SANNE LOTTE FLEUR EVA ANOUK INGE MARIEKE ELS ANNEMIEK FEMKE NIENKE SASKIA "
    "LIESBETH JOKE WILLEMIJN MAAIKE ROOS TESS ISA NOOR JULIA EMMA"
)
DUTCH_FAMILY = _words(
    "DE_JONG JANSEN DE_VRIES VAN_DEN_BERG VAN_DIJK BAKKER VISSER SMIT MEIJER DE_BOER "
    "MULDER DE_GROOT BOS VOS PETERS HENDRIKS VAN_LEEUWEN DEKKER BROUWER DE_WIT DIJKSTRA "
    "SMITS DE_GRAAF VAN_DER_MEER VAN_DER_LINDEN KOK JACOBS DE_HAAN VERMEULEN VAN_DEN_HEUVEL "
    "VAN_DER_VEEN VAN_DEN_BROEK DE_BRUIJN DE_LANGE SCHOUTEN VAN_BEEK WILLEMS VAN_VLIET "
    "HOEKSTRA MAAS VERHOEVEN KOSTER VAN_DAM VAN_DER_HEIJDEN PRINS BLOM HUISMAN DE_JAGER "
    "VAN_DER_WAL KUIPER VAN_WIJK POSTMA KUIJPERS VAN_DER_BERG"
)
RUSSIAN_GIVEN_M = _words(
    "ALEKSANDR SERGEY DMITRIY ANDREY ALEKSEY IVAN MAKSIM YEVGENIY MIKHAIL NIKOLAY "
    "VLADIMIR PAVEL ARTEM YURIY IGOR OLEG ANTON BORIS DENIS EGOR FEDOR GEORGIY GRIGORIY "
    "ILYA KIRILL KONSTANTIN LEONID MATVEY NIKITA ROMAN RUSLAN STANISLAV TIMUR VADIM "
    "VALERIY VIKTOR VITALIY VYACHESLAV"
)
RUSSIAN_GIVEN_F = _words(
    "ELENA OLGA NATALYA TATYANA IRINA SVETLANA ANNA MARIYA YULIYA EKATERINA ANASTASIYA "
    "DARYA POLINA SOFIYA KSENIYA ALINA VALENTINA GALINA LARISA LYUDMILA MARINA NADEZHDA "
    "OKSANA VERA VIKTORIYA ZOYA"
)
RUSSIAN_FAMILY = _words(
    "IVANOV SMIRNOV KUZNETSOV POPOV VASILYEV PETROV SOKOLOV MIKHAYLOV NOVIKOV FEDOROV "
    "MOROZOV VOLKOV ALEKSEYEV LEBEDEV SEMENOV YEGOROV PAVLOV KOZLOV STEPANOV NIKOLAYEV "
    "ORLOV ANDREYEV MAKAROV NIKITIN ZAKHAROV ZAYTSEV SOLOVYOV BORISOV YAKOVLEV GRIGORYEV "
    "ROMANOV VOROBYOV SERGEYEV KUZMIN FROLOV ALEKSANDROV DMITRIYEV KOROLEV GUSEV KISELEV "
    "ILYIN MAKSIMOV POLYAKOV SOROKIN VINOGRADOV KOVALEV BELOV MEDVEDEV ANTONOV TARASOV"
)
RUSSIAN_VARIANTS = {
    "ALEKSANDR": ["ALEXANDER", "ALEKSANDER", "OLEKSANDR"],
    "SERGEY": ["SERGEI", "SERGIY"],
    "DMITRIY": ["DMITRY", "DMITRI"],
    "ANDREY": ["ANDREI", "ANDRII"],
    "ALEKSEY": ["ALEXEI", "ALEKSEI"],
    "YEVGENIY": ["EVGENY", "EVGENII"],
    "MIKHAIL": ["MICHAEL", "MIKHAYL"],
    "YURIY": ["YURI", "IURII"],
    "NATALYA": ["NATALIA", "NATALIYA"],
    "TATYANA": ["TATIANA"],
    "MARIYA": ["MARIA"],
    "YULIYA": ["JULIA", "IULIIA"],
    "VASILYEV": ["VASILIEV"],
    "MIKHAYLOV": ["MIKHAILOV"],
    "FEDOROV": ["FYODOROV"],
    "YEGOROV": ["EGOROV"],
    "ALEKSEYEV": ["ALEKSEEV", "ALEXEEV"],
    "SEMENOV": ["SEMYONOV"],
}
THAI_GIVEN = _words(
    "SOMCHAI SOMSAK SURIYA NATTAPONG KITTISAK WANNA SUDARAT PORNTHIP SIRIPORN ANONG "
    "THANAWAT PRASERT CHAIWAT NARONG MALEE APINYA ARTHIT BOONCHU CHANTANA DARUNEE EKKACHAI "
    "JIRAPORN KANYARAT KRISANA MANEE NATTHAPHON NIRAN PATCHARA PIYAPONG RATANA SAKDA "
    "SOMPONG SUNISA SUPAPORN THANYA TIPPAWAN UTHAI WICHAI WORAWUT YUPIN"
)
# Thai family names are compounds, unique to a family by law: built from syllables.
THAI_SYLLABLES = _words(
    "SRI SUK WONG SAWAT CHAI YA PHUM THONG BOON MA RAT TANA KUL JAN THA PHROM KAEW KLA "
    "PRA SERT SOM KIT TI PONG WAN NA SIRI PORN CHAROEN RUNG ROJ WATTANA SAK DA"
)
FILIPINO_GIVEN = _words(
    "JOSE MARIA JUAN ANGELITO RODRIGO MARICEL ROWENA JOCELYN ARNEL RICARDO ERNESTO "
    "CRISTINA MARIBEL ROMMEL JUNJUN ANALYN ARLENE BENJIE CHERRY DANILO EDGARDO EMELITA "
    "FERDINAND GLORIA HONEYLYN JOMAR JUNREY LEONORA LORNA MARLON NENITA RAMIL REYNALDO "
    "ROSALIE TEODORO VIRGILIO WILFREDO ZENAIDA"
)
FILIPINO_FAMILY = _words(
    "DELA_CRUZ GARCIA REYES RAMOS MENDOZA SANTOS FLORES GONZALES BAUTISTA VILLANUEVA "
    "FERNANDEZ CRUZ DE_LEON TOLENTINO CASTILLO AQUINO DEL_ROSARIO MAGBANUA MACARAEG "
    "PANGANIBAN DIMAGIBA MALABANAN SALVADOR NAVARRO PASCUAL SORIANO DIZON MANALO "
    "CABRERA DE_GUZMAN VALDEZ ESPIRITU LACSON OCAMPO SISON TORRES"
)


# --- passports ------------------------------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choices(string.digits, k=n))


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choices(string.ascii_uppercase, k=n))


_PASSPORT_FORMATS: dict[str, Callable[[random.Random], str]] = {
    "CHN": lambda r: "E" + _digits(r, 8),
    "TWN": lambda r: "3" + _digits(r, 8),
    "HKG": lambda r: "K" + _digits(r, 8),
    "KOR": lambda r: "M" + _digits(r, 8),
    "JPN": lambda r: r.choice(["TK", "TR", "TZ", "MZ"]) + _digits(r, 7),
    "VNM": lambda r: r.choice("BCN") + _digits(r, 7),
    "MYS": lambda r: "A" + _digits(r, 8),
    "SGP": lambda r: "E" + _digits(r, 7) + _letters(r, 1),
    "IND": lambda r: _letters(r, 1) + _digits(r, 7),
    "NGA": lambda r: "A" + _digits(r, 8),
    "SAU": lambda r: _letters(r, 1) + _digits(r, 6),
    "YEM": lambda r: "0" + _digits(r, 7),
    "EGY": lambda r: "A" + _digits(r, 8),
    "PAK": lambda r: _letters(r, 2) + _digits(r, 7),
    "USA": lambda r: _digits(r, 9),
    "GBR": lambda r: _digits(r, 9),
    "AUS": lambda r: r.choice(["PA", "PB", "N"]) + _digits(r, 7),
    "NLD": lambda r: "".join(r.choices(string.ascii_uppercase + string.digits, k=9)),
    "DEU": lambda r: "C" + "".join(r.choices("CFGHJKLMNPRTVWXYZ0123456789", k=8)),
    "FRA": lambda r: _digits(r, 2) + _letters(r, 2) + _digits(r, 5),
    "RUS": lambda r: _digits(r, 9),
    "THA": lambda r: _letters(r, 2) + _digits(r, 7),
    "PHL": lambda r: "P" + _digits(r, 7) + _letters(r, 1),
    "BGD": lambda r: _letters(r, 2) + _digits(r, 7),
}

# OCR and reading confusions, both directions.
_OCR_SWAPS = {
    "0": "O",
    "O": "0",
    "1": "I",
    "I": "1",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "2": "Z",
    "Z": "2",
    "6": "G",
    "G": "6",
}


# --- people ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    """The truth about one person: name parts, sex, birth date, nationality, passport.

    ``family_first`` is the person's own convention (Chinese, Korean, Vietnamese,
    Japanese in Japan, Hungarian); ``variants`` maps a token to the other spellings it
    is seen in.
    """

    person_id: int
    culture: str
    given: list[str]
    family: list[str]
    family_first: bool
    sex: str
    birth: tuple[int, int, int]
    nationality: str
    passport: str
    variants: dict[str, list[str]] = field(default_factory=dict)
    joinable: bool = False  # CJK given names: syllables written apart, joined or hyphenated


def _zipf(items: list[str], exponent: float = 0.9) -> tuple[list[str], list[float]]:
    weights = [1.0 / (rank + 1) ** exponent for rank in range(len(items))]
    return items, weights


# The first generator's draws, kept as the crowded stress test: for each name part the list
# and how it was drawn ("choice": uniform; a number: Zipf on the rank with that exponent;
# "sample": k distinct, uniform). With ``crowded=True`` the generator makes exactly the
# random draws it made, so a seed gives the same records as before.
_CROWDED: dict[str, tuple[list[str], str | float]] = {
    "chinese_family": (CHINESE_FAMILY, 1.0),
    "chinese_given": (CHINESE_SYLLABLES, "sample"),
    "korean_family": (KOREAN_FAMILY, 1.1),
    "korean_given": (KOREAN_SYLLABLES, "sample"),
    "japanese_family": (JAPANESE_FAMILY, 0.6),
    "japanese_given": (JAPANESE_GIVEN, "choice"),
    "vietnamese_family": (VIETNAMESE_FAMILY, 1.2),
    "vietnamese_middle": (VIETNAMESE_MIDDLE, "choice"),
    "vietnamese_given": (VIETNAMESE_GIVEN, "choice"),
    "arabic_given_m": (ARABIC_GIVEN_M, "choice"),
    "arabic_given_f": (ARABIC_GIVEN_F, "choice"),
    "arabic_family": (ARABIC_FAMILY, 0.5),
    "malay_given_m": (MALAY_GIVEN_M, "choice"),
    "malay_given_f": (MALAY_GIVEN_F, "choice"),
    "malay_father": (MALAY_FATHER, "choice"),
    "nigerian_given": (NIGERIAN_GIVEN, "sample"),
    "nigerian_family": (NIGERIAN_FAMILY, "choice"),
    "indian_given": (INDIAN_GIVEN, "choice"),
    "indian_family": (INDIAN_FAMILY, 0.8),
    "bangladeshi_given_m": (ARABIC_GIVEN_M, "choice"),
    "bangladeshi_given_f": (ARABIC_GIVEN_F, "choice"),
    "bangladeshi_family": (_words("RAHMAN HOSSAIN ISLAM UDDIN AHMED KHAN"), "choice"),
    "russian_given_m": (RUSSIAN_GIVEN_M, "choice"),
    "russian_given_f": (RUSSIAN_GIVEN_F, "choice"),
    "russian_family": (RUSSIAN_FAMILY, "choice"),
    "thai_given": (THAI_GIVEN, "choice"),
    "filipino_given": (FILIPINO_GIVEN, "sample"),
    "filipino_family": (FILIPINO_FAMILY, "choice"),
    "dutch_given_m": (DUTCH_GIVEN_M, "choice"),
    "dutch_given_f": (DUTCH_GIVEN_F, "choice"),
    "dutch_family": (DUTCH_FAMILY, "choice"),
    "western_given_m": (WESTERN_GIVEN_M, "sample"),
    "western_given_f": (WESTERN_GIVEN_F, "sample"),
    "western_family": (WESTERN_FAMILY, "choice"),
}


def _tail_exponent(last_share: float, first_rank: int, count: int, remainder: float) -> float:
    """The exponent s with which ``count`` names after the head carry ``remainder`` percent.

    Name k after the head gets ``last_share * (first_rank / (first_rank + k)) ** s``: the
    curve starts at the share of the head's last name and falls as steeply as needed.
    When even a flat tail cannot carry the remainder the pool is too small and s is 0.
    """

    def carried(s: float) -> float:
        return sum(last_share * (first_rank / (first_rank + k)) ** s for k in range(1, count + 1))

    if carried(0.0) <= remainder:
        return 0.0
    low, high = 0.0, 8.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if carried(middle) > remainder else (low, middle)
    return (low + high) / 2


@cache
def _realistic_pool(key: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Names and cumulative weights (percent) of one realistic pool, built once.

    The head carries its documented shares (``name_frequencies.HEADS``); the rest of the
    old list and the tail (``TAILS``) carry the remainder on a falling curve that starts
    at the head's last share (see :func:`_tail_exponent`).
    """
    tokens = HEADS.get(key, "").split()
    head = [(name, float(share)) for name, share in zip(tokens[::2], tokens[1::2], strict=True)]
    seen = {name for name, _ in head}
    rest: list[str] = []
    for name in [*_CROWDED[key][0], *TAILS.get(key, [])]:
        if name not in seen:
            seen.add(name)
            rest.append(name)
    remainder = 100.0 - sum(share for _, share in head)
    last_share = head[-1][1] if head else remainder / max(len(rest), 1)
    first_rank = max(len(head), 1)
    exponent = _tail_exponent(last_share, first_rank, len(rest), remainder)
    tail = [
        last_share * (first_rank / (first_rank + k)) ** exponent for k in range(1, len(rest) + 1)
    ]
    # A pool too small to carry the remainder at falling shares stays flat at the head's
    # last share, and every share (head included) is scaled up when drawing: monotone,
    # but more crowded than the documented figures.
    scale = remainder / sum(tail) if tail and exponent > 0 else 1.0
    names = [name for name, _ in head] + rest
    weights = [share for _, share in head] + [w * scale for w in tail]
    return tuple(names), tuple(accumulate(weights))


class _Pools:
    """Draws of name parts by key: realistic frequencies, or the old crowded lists."""

    def __init__(self, crowded: bool = False) -> None:
        self.crowded = crowded
        self._crowded = {
            key: (names, mode if isinstance(mode, str) else _zipf(names, mode)[1])
            for key, (names, mode) in _CROWDED.items()
        }

    def one(self, rng: random.Random, key: str) -> str:
        """One name for ``key``."""
        if self.crowded:
            names, mode = self._crowded[key]
            if mode == "choice" or mode == "sample":
                return rng.choice(names)
            return rng.choices(names, weights=mode, k=1)[0]  # type: ignore[arg-type]
        names, cumulative = _realistic_pool(key)
        return rng.choices(names, cum_weights=cumulative, k=1)[0]

    def some(self, rng: random.Random, key: str, k: int) -> list[str]:
        """``k`` different names for ``key`` (syllables of a given name, given names)."""
        if self.crowded:
            return rng.sample(self._crowded[key][0], k)
        chosen: list[str] = []
        while len(chosen) < k:
            name = self.one(rng, key)
            if name not in chosen:
                chosen.append(name)
        return chosen


def _birth(rng: random.Random) -> tuple[int, int, int]:
    year = int(rng.triangular(1950, 2006, 1988))
    return year, rng.randint(1, 12), rng.randint(1, 28)


_CULTURES: list[tuple[str, float]] = [
    ("chinese", 0.24),
    ("malay", 0.05),
    ("malaysian_chinese", 0.03),
    ("nigerian", 0.06),
    ("vietnamese", 0.06),
    ("indian", 0.06),
    ("korean", 0.07),
    ("japanese", 0.06),
    ("arabic", 0.10),
    ("western", 0.12),
    ("dutch", 0.03),
    ("russian", 0.04),
    ("thai", 0.03),
    ("filipino", 0.03),
    ("bangladeshi", 0.02),
]

_CULTURE_NATIONALITY: dict[str, list[tuple[str, float]]] = {
    "chinese": [("CHN", 0.88), ("TWN", 0.06), ("HKG", 0.03), ("SGP", 0.03)],
    "malay": [("MYS", 1.0)],
    "malaysian_chinese": [("MYS", 0.8), ("SGP", 0.2)],
    "nigerian": [("NGA", 1.0)],
    "vietnamese": [("VNM", 1.0)],
    "indian": [("IND", 0.95), ("SGP", 0.05)],
    "korean": [("KOR", 1.0)],
    "japanese": [("JPN", 1.0)],
    "arabic": [("SAU", 0.35), ("YEM", 0.25), ("EGY", 0.25), ("PAK", 0.15)],
    "western": [("USA", 0.25), ("AUS", 0.3), ("GBR", 0.2), ("DEU", 0.15), ("FRA", 0.1)],
    "dutch": [("NLD", 1.0)],
    "russian": [("RUS", 1.0)],
    "thai": [("THA", 1.0)],
    "filipino": [("PHL", 1.0)],
    "bangladeshi": [("BGD", 1.0)],
}


def _nationality(rng: random.Random, culture: str) -> str:
    options = _CULTURE_NATIONALITY[culture]
    return rng.choices([c for c, _ in options], weights=[w for _, w in options], k=1)[0]


def _make_person(rng: random.Random, pools: _Pools, person_id: int) -> Person:
    culture = rng.choices([c for c, _ in _CULTURES], weights=[w for _, w in _CULTURES], k=1)[0]
    sex = "M" if rng.random() < 0.62 else "F"
    nationality = _nationality(rng, culture)
    given: list[str]
    family: list[str]
    family_first = False
    variants: dict[str, list[str]] = {}
    joinable = False
    if culture in ("chinese", "malaysian_chinese"):
        family = [pools.one(rng, "chinese_family")]
        given = pools.some(rng, "chinese_given", rng.choice([1, 2, 2, 2]))
        family_first, joinable, variants = True, True, CHINESE_VARIANTS
        if culture == "malaysian_chinese" or nationality in ("HKG", "SGP"):
            # Hokkien/Cantonese spelling is the person's own, not a variant.
            family = [rng.choice(CHINESE_VARIANTS.get(family[0], family))]
    elif culture == "korean":
        family = [pools.one(rng, "korean_family")]
        given = pools.some(rng, "korean_given", 2)
        family_first, joinable, variants = True, True, KOREAN_VARIANTS
    elif culture == "japanese":
        family = [pools.one(rng, "japanese_family")]
        given = [pools.one(rng, "japanese_given")]
        family_first, variants = rng.random() < 0.5, JAPANESE_LONG
    elif culture == "vietnamese":
        family = [pools.one(rng, "vietnamese_family")]
        middle = "THỊ" if sex == "F" and rng.random() < 0.7 else pools.one(rng, "vietnamese_middle")
        given = [middle, pools.one(rng, "vietnamese_given")]
        family_first = True
    elif culture == "arabic":
        first = pools.one(rng, f"arabic_given_{sex.lower()}")
        father = pools.one(rng, "arabic_given_m")
        given = [first, father] if rng.random() < 0.6 else [first]
        family = [pools.one(rng, "arabic_family").replace("-", " ")]
        variants = ARABIC_VARIANTS
    elif culture == "malay":
        first = pools.one(rng, f"malay_given_{sex.lower()}")
        second = pools.one(rng, f"malay_given_{sex.lower()}")
        given = [first, second] if rng.random() < 0.5 and first != second else [first]
        family = ["BIN" if sex == "M" else "BINTI", pools.one(rng, "malay_father")]
        variants = ARABIC_VARIANTS
    elif culture == "nigerian":
        given = pools.some(rng, "nigerian_given", rng.choice([1, 2]))
        family = [pools.one(rng, "nigerian_family")]
    elif culture in ("indian", "bangladeshi"):
        given = [pools.one(rng, "indian_given")]
        family = [pools.one(rng, "indian_family")]
        if culture == "bangladeshi":
            given = [pools.one(rng, f"bangladeshi_given_{sex.lower()}")]
            family = [pools.one(rng, "bangladeshi_family")]
            variants = ARABIC_VARIANTS
    elif culture == "russian":
        given = [pools.one(rng, f"russian_given_{sex.lower()}")]
        surname = pools.one(rng, "russian_family")
        family = [surname + "A" if sex == "F" else surname]
        variants = RUSSIAN_VARIANTS
    elif culture == "thai":
        given = [pools.one(rng, "thai_given")]
        family = ["".join(rng.sample(THAI_SYLLABLES, rng.choice([2, 3, 3])))]
    elif culture == "filipino":
        given = pools.some(rng, "filipino_given", rng.choice([1, 2]))
        family = [pools.one(rng, "filipino_family").replace("_", " ")]
    elif culture == "dutch":
        given = [pools.one(rng, f"dutch_given_{sex.lower()}")]
        family = [pools.one(rng, "dutch_family").replace("_", " ")]
    else:  # western
        given = pools.some(rng, f"western_given_{sex.lower()}", rng.choice([1, 1, 2]))
        family = [pools.one(rng, "western_family")]
    return Person(
        person_id=person_id,
        culture=culture,
        given=given,
        family=family,
        family_first=family_first,
        sex=sex,
        birth=_birth(rng),
        nationality=nationality,
        passport=_PASSPORT_FORMATS[nationality](rng),
        variants=variants,
        joinable=joinable,
    )


def _relative(rng: random.Random, person: Person, person_id: int, pools: _Pools) -> Person:
    """A sibling, spouse or twin: same family name, often a passport issued the same day."""
    other = _make_person(rng, pools, person_id)
    while other.culture != person.culture:
        other = _make_person(rng, pools, person_id)
    other.family = list(person.family)
    other.nationality = person.nationality
    other.variants = person.variants
    if rng.random() < 0.3:  # twins
        other.birth = person.birth
    if rng.random() < 0.4 and person.passport[-1].isdigit():
        # Passports applied for together carry consecutive numbers.
        last = (int(person.passport[-1]) + rng.choice([1, 2])) % 10
        other.passport = person.passport[:-1] + str(last)
    return other


# --- noise -----------------------------------------------------------------------------------


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]  # deletion
    if kind < 0.55:
        return word[:i] + rng.choice(string.ascii_uppercase) + word[i:]  # insertion
    if kind < 0.8 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # transposition
    return word[:i] + rng.choice(string.ascii_uppercase) + word[i + 1 :]  # substitution


def _strip_diacritics(text: str) -> str:
    import unicodedata

    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _spell(rng: random.Random, person: Person, token: str, vary: float) -> str:
    options = person.variants.get(token)
    if options and rng.random() < vary:
        return rng.choice(options)
    return token


def _written_name(rng: random.Random, person: Person, clean: bool) -> str:
    vary = 0.0 if clean else 0.35
    given = [_spell(rng, person, t, vary) for t in person.given]
    family = [_spell(rng, person, t, vary) for t in person.family]
    if person.joinable and len(given) > 1:
        style = rng.random()
        if person.culture == "korean" or style < 0.5:
            given = [("-" if rng.random() < 0.5 else "").join(given)] if style < 0.8 else given
        elif style < 0.7:
            given = ["".join(given)]
    if not clean:
        if person.culture == "arabic" and rng.random() < 0.3:
            # The article written together, or left out.
            family = [
                f.replace("AL ", "AL" if rng.random() < 0.5 else "").replace("EL ", "EL-")
                for f in family
            ]
        if person.culture == "malay" and rng.random() < 0.3:
            family = family[1:]  # BIN/BINTI left out
        if person.culture == "dutch" and rng.random() < 0.3:
            family = [family[0].replace(" ", "")]
        if person.culture == "arabic" and len(given) > 1 and rng.random() < 0.15:
            given = given[:1]  # father's name left out
        if person.culture == "vietnamese" and rng.random() < 0.1:
            given = given[1:]  # middle name left out
    family_first = person.family_first
    if not clean and rng.random() < 0.3:
        family_first = not family_first  # forms that ask for "surname" then "given names"
    parts = family + given if family_first else given + family
    if not clean and rng.random() < 0.12:
        i = rng.randrange(len(parts))
        parts[i] = _typo(rng, parts[i])
    name = " ".join(parts)
    if person.culture == "vietnamese" and (not clean or rng.random() < 0.5):
        if rng.random() < 0.6:
            name = _strip_diacritics(name)
    elif not family_first and not clean and rng.random() < 0.15:
        name = ", ".join([" ".join(family), " ".join(given)])
    style = rng.random()
    if style < 0.2:
        name = name.title()
    elif style < 0.25:
        name = name.lower()
    return name


def _written_passport(rng: random.Random, person: Person, clean: bool) -> str:
    number = person.passport
    if clean:
        return number
    roll = rng.random()
    if roll < 0.15:
        return ""
    if roll < 0.27:
        return _PASSPORT_FORMATS[person.nationality](rng)  # renewed: a new number
    chars = list(number)
    if rng.random() < 0.15:
        positions = [i for i, c in enumerate(chars) if c in _OCR_SWAPS]
        for i in rng.sample(positions, min(len(positions), rng.choice([1, 1, 2]))):
            chars[i] = _OCR_SWAPS[chars[i]]
    elif rng.random() < 0.04:
        i = rng.randrange(len(chars))
        chars[i] = rng.choice(string.digits)
    written = "".join(chars)
    if rng.random() < 0.05:
        written = written[:3] + " " + written[3:]
    return written


def _written_birth(rng: random.Random, person: Person, clean: bool) -> str:
    year, month, day = person.birth
    if clean:
        return f"{year:04d}-{month:02d}-{day:02d}"
    roll = rng.random()
    if roll < 0.05:
        return ""
    if roll < 0.10:
        return f"{year:04d}"
    if roll < 0.13:
        return f"{year:04d}-{month:02d}"
    if roll < 0.18 and day <= 12:
        return f"{year:04d}-{day:02d}-{month:02d}"
    if roll < 0.21:
        text = list(f"{year:04d}-{month:02d}-{day:02d}")
        i = rng.choice([3, 6, 8, 9])
        text[i] = rng.choice(string.digits[1:3] if i in (6, 8) else string.digits)
        return "".join(text)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _sightings(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.62:
        return 1
    if roll < 0.86:
        return 2
    if roll < 0.95:
        return 3
    return rng.randint(4, 6)


_SOURCES = ("permit", "hotel", "police", "field")


def generate_records(
    n_records: int, seed: int = 0, *, crowded: bool = False
) -> Iterator[dict[str, str]]:
    """Yield ``n_records`` noisy records (dicts with :data:`COLUMNS` keys) for a seed.

    Names follow realistic frequencies per culture; ``crowded=True`` draws them from the
    first generator's short lists instead (a stress test: 71 % of people share their exact
    name at a million records) and gives, for a seed, exactly the records it gave.

    About 40 % of people are seen more than once; one person in twenty has a relative with
    the same family name in the data. The first sighting of a person is a clean passport
    scan half of the time.
    """
    rng = random.Random(seed)
    pools = _Pools(crowded)
    emitted = 0
    person_id = 0
    pending_relative: Person | None = None
    while emitted < n_records:
        if pending_relative is not None:
            person, pending_relative = pending_relative, None
        else:
            person_id += 1
            person = _make_person(rng, pools, person_id)
            if rng.random() < 0.05:
                person_id += 1
                pending_relative = _relative(rng, person, person_id, pools)
        for k in range(_sightings(rng)):
            if emitted >= n_records:
                break
            clean = k == 0 and rng.random() < 0.5
            emitted += 1
            sex = person.sex
            if not clean:
                roll = rng.random()
                sex = "" if roll < 0.1 else ("F" if sex == "M" else "M") if roll < 0.11 else sex
            nationality = person.nationality
            if not clean:
                roll = rng.random()
                if roll < 0.05:
                    nationality = ""
                elif roll < 0.07:
                    nationality = rng.choice(list(_PASSPORT_FORMATS))
            yield {
                "record_id": f"R{emitted:07d}",
                "source": rng.choice(_SOURCES),
                "full_name": _written_name(rng, person, clean),
                "sex": sex,
                "date_of_birth": _written_birth(rng, person, clean),
                "nationality": nationality,
                "passport_number": _written_passport(rng, person, clean),
                "person_id": str(person.person_id),
            }


def write_records_csv(
    path: str | Path, n_records: int, seed: int = 0, *, crowded: bool = False
) -> Path:
    """Write :func:`generate_records` to a CSV file with a header; returns the path."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(generate_records(n_records, seed, crowded=crowded))
    return path


@dataclass(frozen=True, slots=True)
class PairwiseMetrics:
    """Pairwise precision, recall and F1 of predicted clusters against true clusters."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted_pairs: int
    true_pairs: int


def pairwise_metrics(
    con: Any, predicted: str, truth: str, *, cross_source_only: bool = False
) -> PairwiseMetrics:
    """Compare ``predicted`` (record_id, cluster_id) with ``truth`` (record_id, person_id).

    A pair of records counts as predicted when both are in one cluster and as true when
    both belong to one person; with ``cross_source_only`` only pairs from different
    ``source`` values of ``truth`` count (linking two files rather than deduplicating).
    Computed from group sizes in DuckDB, so a million records cost a few group-bys.
    """
    if cross_source_only:
        pairs = "(sum(n) * sum(n) - sum(n * n)) / 2"
        inner = "select {key}, source, count(*)::hugeint as n from j group by {key}, source"
        grouped = "select {key}, " + pairs + " as p from (" + inner + ") group by {key}"
    else:
        grouped = "select {key}, count(*)::hugeint * (count(*) - 1) / 2 as p from j group by {key}"

    def total(key: str) -> int:
        sql = (
            f"with j as (select p.cluster_id, t.person_id, t.source, "
            f"p.cluster_id || '|' || t.person_id as both_ids "
            f"from {predicted} p join {truth} t using (record_id)) "
            f"select coalesce(sum(p), 0) from ({grouped.format(key=key)})"
        )
        return int(con.execute(sql).fetchall()[0][0])

    tp, pp, tt = total("both_ids"), total("cluster_id"), total("person_id")
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseMetrics(precision, recall, f1, tp, pp, tt)
