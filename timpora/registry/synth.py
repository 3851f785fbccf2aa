"""A realistic synthetic population of foreign nationals in Kota and Kabupaten Serang.

Used by the demo (a few thousand persons) and the benchmarks (a million). Free of Django:
plain Python and numpy, fed with the villages and the ids to use, yielding rows as tuples in
the column order of the registry tables (``*_COLUMNS``), so the bulk loader only adds
timestamps and writes them. Everything is drawn from one seeded generator per batch, so a
seed, a start position and the ids give the same rows every time.

What the population looks like, and why:

- Nationalities follow an industrial and tourist region: Chinese, Korean, Japanese and
  Taiwanese workers in the steel, chemical, textile, footwear, electronics and power plants of
  Cikande, Kibin, Kragilan, Bojonegara, Pulo Ampel, Ciruas, Jawilan and Kopo; Western, Russian
  and Arab tourists on the Anyar and Cinangka coast and in Kota Serang.
- Names follow each country's conventions (surname first for Chinese, Korean, Japanese and
  Vietnamese; patronymic ``bin``/``binti`` names for Malays; ``Al-`` family names for Saudis;
  particles for the Dutch; gendered surnames for Russians; diacritics kept in ``full_name``).
- Profiles: workers (E23) sponsored and employed by fictional industrial-estate companies,
  investors (E28A), tourists (A1/B1/C1/D1) in hotels, spouses of citizens (E31A) sponsored by
  a citizen with a valid NIK, retirees (E33), permanent residents (ITAP), students, former
  citizens (E32), and a few persons with no permit at all (field findings, tips).
- Permits are issued over the last three years; about 6 % of persons overstay (1–200 days,
  some past the 60-day deportation threshold of UU 6/2011 Art. 78) and about 5 % have a permit
  expiring within 30 days. Stays (1–3 per person) move through the villages, more often in the
  coastal kelurahan of Kasemen than elsewhere in Kota Serang; the latest stay is the current
  one, and the person's denormalised "current" columns are computed here, the way
  ``registry.actions.refresh_current`` would compute them.

Passport numbers are unique per issuing state by construction: each is a fixed permutation
of ``2 × person id (+1 for an older passport)`` in the country's number space, so loads that
use fresh ids never collide with each other.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import numpy as np

from timpora.lib.mrz import build_td3
from timpora.lib.names import fold
from timpora.registry.names import person_search_key

# --------------------------------------------------------------------------- table columns

PERSON_COLUMNS = (
    "id",
    "province_code",
    "kabkota_code",
    "kecamatan_code",
    "kelurahan_code",
    "surname",
    "given_names",
    "full_name",
    "name_key",
    "name_search",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_birth",
    "nationality",
    "current_permit_category",
    "current_permit_valid_until",
    "current_stay_from",
)
SPONSOR_COLUMNS = (
    "id",
    "province_code",
    "kabkota_code",
    "kecamatan_code",
    "kelurahan_code",
    "kind",
    "name",
    "nib",
    "nik",
    "sector",
    "address",
    "contact_name",
    "phone",
    "email",
)
DOCUMENT_COLUMNS = (
    "id",
    "person_id",
    "doc_type",
    "number",
    "issuing_state",
    "issue_date",
    "expiry_date",
    "mrz",
)
PERMIT_COLUMNS = (
    "id",
    "person_id",
    "category",
    "index_id",
    "number",
    "issue_date",
    "valid_until",
    "issuing_office",
    "sponsor_id",
    "purpose",
    "travel_document_id",
)
EXTENSION_COLUMNS = (
    "id",
    "permit_id",
    "previous_valid_until",
    "new_valid_until",
    "decided_on",
    "reference",
)
STAY_COLUMNS = (
    "id",
    "person_id",
    "province_code",
    "kabkota_code",
    "kecamatan_code",
    "kelurahan_code",
    "address",
    "lon",
    "lat",
    "date_from",
    "date_to",
    "source",
    "source_ref",
)
EMPLOYMENT_COLUMNS = (
    "id",
    "person_id",
    "employer_id",
    "province_code",
    "kabkota_code",
    "kecamatan_code",
    "kelurahan_code",
    "position",
    "work_plan_reference",
    "start_date",
    "end_date",
)
#: Table → its generated columns (the loader adds ``created_at`` and the like).
COLUMNS = {
    "registry_person": PERSON_COLUMNS,
    "registry_sponsor": SPONSOR_COLUMNS,
    "registry_traveldocument": DOCUMENT_COLUMNS,
    "registry_staypermit": PERMIT_COLUMNS,
    "registry_permitextension": EXTENSION_COLUMNS,
    "registry_stay": STAY_COLUMNS,
    "registry_employment": EMPLOYMENT_COLUMNS,
}
#: Insert order that satisfies the foreign keys within a batch.
TABLE_ORDER = (
    "registry_person",
    "registry_sponsor",
    "registry_traveldocument",
    "registry_staypermit",
    "registry_permitextension",
    "registry_stay",
    "registry_employment",
)
#: The most rows a person can produce per table (the loader reserves this many ids).
MAX_ROWS_PER_PERSON = {
    "registry_person": 1,
    "registry_sponsor": 1,
    "registry_traveldocument": 2,
    "registry_staypermit": 3,
    "registry_permitextension": 2,
    "registry_stay": 4,
    "registry_employment": 2,
}

DEFAULT_SEED = 20211012  # the day Kanim Serang formed teams in every kelurahan of Kota Serang
DEFAULT_BATCH = 20_000
HISTORY_DAYS = 3 * 365  # permits are issued over the last three years
EXPIRED_SHARE = 0.06
EXPIRING_SHARE = 0.05
EXPIRING_DAYS = 30
OFFICE = "Kantor Imigrasi Kelas I Non TPI Serang"

# --------------------------------------------------------------------------- names


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _items(text: str) -> tuple[str, ...]:
    """``|``-separated items, for names of more than one word (``van der Berg``)."""
    return tuple(item.strip() for item in text.split("|"))


@dataclass(frozen=True)
class NameStyle:
    """How names of one tradition are built. ``kind`` selects the composition rule;
    ``extra_m``/``extra_f`` hold middle names, fathers' names or syllables, by kind."""

    kind: str
    surnames: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    extra_m: tuple[str, ...] = ()
    extra_f: tuple[str, ...] = ()


_CN = NameStyle(
    "syllables",
    _words(
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao "
        "Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai "
        "Jiang Yu Du Ye Cheng Wei Su Ding Ren Shen Yao Lu"
    ),
    _words(
        "Wei Jun Hao Yu Jie Ming Lei Tao Qiang Jian Gang Yong Chao Peng Bo Dong Hai Kai Long "
        "Rui Zhi Hua Guo Xin Hong Ping Bin Feng Cheng Jia Tian Xiang Yang Zhen Liang Wen Kang"
    ),
    _words(
        "Fang Xiu Ying Yan Ling Na Min Jing Li Hui Mei Xia Juan Hong Yun Lan Qian Ting Xue Yi "
        "Lu Dan Qing Zi Shu Wen Yue Xin Jia"
    ),
)
_TW = NameStyle(
    "hyphenated",
    _words(
        "Chen Lin Huang Chang Li Wang Wu Liu Tsai Yang Hsu Cheng Hsieh Kuo Hung Tseng Chiu Liao "
        "Lai Chou Yeh Su Chuang Lu Chiang Ho Kao Pan Chien"
    ),
    _words("Chia Chih Chun Kuan Po Wei Yu Ming Cheng Hsiang Tsung Jung Kai Chien Chieh Hung An"),
    _words("Yi Ting Hsin Shu Hui Mei Ling Yen Ya Fen Ju Pei Chia Wen Yu Hsuan Chen"),
)
_KR = NameStyle(
    "surname_first",
    _words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo"),
    _words(
        "Min-jun Seo-jun Do-yun Ye-jun Si-woo Ha-jun Joo-won Ji-ho Ji-hoon Jun-seo Hyun-woo "
        "Sung-min Dong-hyun Jae-won Young-ho Sang-woo Jin-woo Kyung-soo Tae-yang Seung-hoon"
    ),
    _words(
        "Seo-yeon Seo-yun Ji-woo Ha-eun Min-seo Ji-yoo Ye-eun Su-ah Ji-min Yoo-na Hye-jin "
        "Eun-ji Soo-jin Min-ji Ji-eun Da-eun Hae-won Na-yeon So-yeon"
    ),
)
_JP = NameStyle(
    "surname_first",
    _words(
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida "
        "Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe "
        "Ikeda Hashimoto Ishikawa Ogawa Fujita Okada Goto Hasegawa"
    ),
    _words(
        "Hiroshi Takeshi Kenji Haruto Sota Yuto Ren Daiki Kazuki Takumi Shota Naoki Yusuke "
        "Kenta Ryota Satoshi Makoto Akira Tatsuya Koji"
    ),
    _words(
        "Yui Aoi Sakura Yuki Hana Mei Rin Misaki Ayaka Yoko Keiko Naomi Emi Haruka Nanami Mayu "
        "Chihiro Kaori Tomoko Akiko"
    ),
)
_VN = NameStyle(
    "vietnamese",
    _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"),
    _words(
        "An Bình Cường Dũng Hùng Hải Hiếu Khánh Long Nam Phong Quang Sơn Thắng Tuấn Việt Trung "
        "Tài Đạt Hoàng"
    ),
    _words(
        "Anh Chi Dung Hà Hương Lan Linh Mai Nga Ngân Nhung Phương Quỳnh Thảo Trang Tuyết Vy Yến "
        "Hạnh Loan"
    ),
    extra_m=_words("Văn Văn Văn Đức Minh Quốc Hữu Thanh Công Xuân"),
    extra_f=_words("Thị Thị Thị Ngọc Thu Thanh Kim Mai Phương Hồng"),
)
_HK = NameStyle(
    "two_syllables",
    _words("Chan Wong Lee Cheung Lau Ng Ho Leung Lam Tsang Chow Yeung Cheng Tang Kwok Mak Yip Law"),
    _words("Ka Wai Chi Siu Kin Man Ming Kit Fung Hung Chun Ho Yiu Tak Kwok Sing"),
    _words("Mei Ling Wing Yan Ka Hoi Suet Ying Wai Man Sze Lok Kit Yee Shuk"),
)
_SEA_CN = NameStyle(
    "two_syllables",
    _words("Tan Lim Lee Ng Wong Chong Teh Ooi Goh Chan Yap Leong Khoo Low Cheah Ong Koh Teo Ang"),
    _words("Wei Kok Chee Boon Jun Jia Kah Eng Seng Keong Huat Meng Hock Yong Hao Ming Wai Kiat"),
    _words("Mei Siew Li Jia Hui Ying Lan Xin Yi Pei Shan Wen Ling Min Ai Hwee Bee Yee"),
)
_MALAY = NameStyle(
    "patronymic",
    (),
    _words(
        "Muhammad Ahmad Mohd Abdul Azlan Hafiz Faizal Amirul Firdaus Zulkifli Hakim Syafiq "
        "Ikhwan Rizal Nazri Azman Khairul Shahrul"
    ),
    _words(
        "Nur Siti Nurul Aisyah Farah Aina Nabila Syafiqah Zarina Noraini Hafizah Amirah Izzati "
        "Aminah Fatimah Salmah"
    ),
    extra_m=_words(
        "Ismail Ibrahim Abdullah Hassan Hussein Osman Yusof Rahman Hamid Razak Ali Aziz Kassim "
        "Salleh Zainal Othman Ahmad Mansor"
    ),
    extra_f=("bin", "binti"),
)
_TAMIL = NameStyle(
    "patronymic",
    (),
    _words("Ganesan Subramaniam Ravi Kumaran Muthu Selvam Rajendran Saravanan Vijay Prakash"),
    _words("Kavitha Letchumi Devi Malar Thilaga Vasanthi Shanti Priya Kalai Rani"),
    extra_m=_words("Ramasamy Muniandy Krishnan Arumugam Palaniappan Velu Murugan Suppiah"),
    extra_f=("a/l", "a/p"),
)
_IN = NameStyle(
    "given_first",
    _words(
        "Kumar Sharma Singh Patel Gupta Reddy Rao Nair Iyer Das Mehta Shah Verma Joshi Menon "
        "Pillai Subramanian Krishnan Banerjee Chatterjee Mukherjee Agarwal Naidu Chauhan Yadav"
    ),
    _words(
        "Rajesh Suresh Ramesh Amit Rahul Vikram Sanjay Anil Sunil Arjun Rohit Deepak Manoj "
        "Pradeep Venkatesh Karthik Srinivas Harish Naveen Arun"
    ),
    _words(
        "Priya Anjali Kavita Sunita Deepa Lakshmi Pooja Neha Meera Divya Shalini Anita Rekha "
        "Swati Nisha Aarti"
    ),
)
_PH = NameStyle(
    "filipino",
    _items(
        "Santos|Reyes|Cruz|Bautista|Ocampo|Garcia|Mendoza|Torres|Tomas|Andrade|Castillo|"
        "Flores|Villanueva|Ramos|Dela Cruz|Aquino|Navarro|Salazar|Gonzales|Del Rosario"
    ),
    _words(
        "Jose Juan Mark John Paul Michael Christian Jerome Rodel Ramon Carlo Angelo Jayson "
        "Ronaldo Dennis"
    ),
    _words(
        "Maria Ana Kristine Jennifer Mary Grace Rowena Marites Lorna Joy Princess Angelica Rhea "
        "Cristina Maricel"
    ),
)
_TH = NameStyle(
    "given_first",
    _words(
        "Saetang Srisuk Wongsawat Chaiyaporn Sukprasert Rattanakul Thongchai Kongkaew Boonmee "
        "Phrommin Jaidee Srisawat Kaewmanee Chantarasombat Wattanapong"
    ),
    _words(
        "Somchai Somsak Prasert Anan Kittisak Wichai Surachai Thanawat Chaiwat Nattapong Sakda "
        "Pongsakorn Apichat"
    ),
    _words("Siriporn Kanokwan Nattaya Pimchanok Sunisa Wanida Ratana Chanya Malee Suda Arunee"),
)
_EN = NameStyle(
    "western",
    _items(
        "Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Wilson|Taylor|Anderson|Thomas|Moore|"
        "Martin|Thompson|White|Harris|Clark|Lewis|Robinson|Walker|Young|Allen|King|Wright|"
        "Scott|Hill|Green|Adams|Baker|Campbell|Mitchell|Roberts|Evans|Turner|Phillips|Murphy|"
        "O'Brien|Kelly|MacDonald|Fraser|Hughes"
    ),
    _words(
        "James John Robert Michael William David Richard Thomas Daniel Matthew Andrew Mark Paul "
        "Steven Christopher Peter Brian Kevin Jason Scott Liam Noah Jack Oliver"
    ),
    _words(
        "Mary Jennifer Linda Elizabeth Sarah Jessica Karen Emily Emma Olivia Charlotte Amelia "
        "Chloe Sophie Rebecca Laura Hannah Rachel Megan Kate"
    ),
)
_DE = NameStyle(
    "western",
    _words(
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer "
        "Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
        "Hartmann Lange Weiß Jäger Groß Köhler Böhm"
    ),
    _words(
        "Jürgen Hans Klaus Stefan Thomas Michael Andreas Matthias Jörg Uwe Dieter Björn Lukas "
        "Maximilian Tobias Sebastian Florian Günter Wolfgang Ralf Hans-Peter"
    ),
    _words(
        "Ursula Sabine Petra Claudia Jutta Birgit Anja Katrin Julia Lena Jana Käthe Heike "
        "Susanne Monika Annegret Bärbel"
    ),
)
_NL = NameStyle(
    "western",
    _items(
        "van der Berg|de Vries|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|"
        "de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|"
        "van der Meer|van den Heuvel|de Jong|van Beek|Kuipers"
    ),
    _words(
        "Jan Pieter Johannes Hendrik Willem Cornelis Dirk Sander Bram Joost Maarten Ruud Thijs "
        "Daan Sem Lars Koen"
    ),
    _words(
        "Anna Maria Johanna Sanne Eva Lotte Femke Anouk Marieke Ingrid Wilma Lieke Fleur Sophie"
    ),
)
_FR = NameStyle(
    "western",
    _words(
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
        "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
        "Dupont Lambert Bonnet François Rousseau Faure"
    ),
    _words(
        "Jean-Pierre François Jérôme Loïc Michel Philippe Nicolas Julien Sébastien Thierry "
        "Olivier Stéphane Frédéric Antoine Hugo Théo"
    ),
    _words(
        "Hélène Élodie Céline Marie Isabelle Nathalie Sophie Aurélie Camille Léa Chloé Manon "
        "Anaïs Émilie Valérie"
    ),
)
_IT = NameStyle(
    "western",
    _items(
        "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|"
        "Conti|De Luca|Mancini|Costa|Giordano|Rizzo|Lombardi|Moretti"
    ),
    _words(
        "Marco Giuseppe Luca Giovanni Alessandro Andrea Francesco Matteo Stefano Roberto Paolo "
        "Davide Nicolò"
    ),
    _words("Giulia Francesca Chiara Sara Valentina Federica Alessia Martina Elena Silvia Paola"),
)
_ES = NameStyle(
    "spanish",
    _words(
        "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez "
        "Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Navarro Torres"
    ),
    _items(
        "José|Antonio|Manuel|Francisco|Javier|David|Juan Carlos|Miguel Ángel|Alejandro|Pablo|"
        "Sergio|Jorge|Álvaro"
    ),
    _items("María|Carmen|Ana Isabel|Laura|Lucía|Marta|Cristina|Elena|Paula|Sofía|Pilar|Nuria"),
)
_SE = NameStyle(
    "western",
    _words(
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
        "Gustafsson Pettersson Jonsson Lindström Lindqvist Bergström Sjöberg Åberg Lundqvist "
        "Öberg Ström"
    ),
    _words("Erik Lars Anders Johan Karl Per Nils Mikael Björn Fredrik Oskar Gustav Axel"),
    _words("Anna Eva Maria Karin Kristina Lena Åsa Ingrid Sara Emma Elin Maja Linnéa"),
)
_RU = NameStyle(
    "russian",
    _words(
        "Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov "
        "Morozov Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov "
        "Andreev Makarov Zakharov Zaitsev Borisov Yakovlev Romanov Kovalevsky Lozinsky"
    ),
    _words(
        "Alexander Sergey Dmitry Andrey Alexey Ivan Mikhail Nikolay Vladimir Pavel Maxim Artem "
        "Igor Oleg Yuri Denis"
    ),
    _words(
        "Elena Olga Natalia Anna Tatiana Irina Svetlana Maria Ekaterina Anastasia Yulia Daria "
        "Ksenia Marina"
    ),
)
_SA = NameStyle(
    "arab",
    _words(
        "Al-Ghamdi Al-Zahrani Al-Qahtani Al-Otaibi Al-Harbi Al-Shehri Al-Dosari Al-Mutairi "
        "Al-Anazi Al-Shammari Al-Subaie Al-Malki Al-Amri Al-Juhani"
    ),
    _words(
        "Abdullah Mohammed Fahd Khalid Saud Faisal Sultan Turki Nasser Abdulaziz Omar Saad Majed "
        "Bandar Yousef Ibrahim"
    ),
    _words("Noura Sara Fatimah Reem Haya Lama Aisha Maha Hessa Amal"),
)
_YE = NameStyle(
    "arab",
    _items(
        "Al-Hadrami|Bin Mahfouz|Ba-Wazir|Bin Talib|Al-Yafai|Al-Kathiri|Bin Shihab|Al-Aidarus|"
        "Bamatraf|Al-Saqqaf|Al-Attas|Bin Yahya|Al-Habsyi"
    ),
    _words("Ahmed Mohammed Saleh Ali Abdullah Hussein Omar Abdulrahman Khaled Salem Awadh"),
    _words("Fatima Khadija Aisha Maryam Salma Huda Amina Sumaya"),
)
_EG = NameStyle(
    "arab",
    _items(
        "Hassan|Ibrahim|Abdel-Rahman|El-Sayed|Mahmoud|Mostafa|Ali|Farouk|Soliman|Abdel-Aziz|"
        "El-Masry|Shehata|Fathy|Gaber|Ragab"
    ),
    _words(
        "Mohamed Ahmed Mahmoud Mostafa Hassan Ibrahim Khaled Omar Tarek Amr Youssef Karim Hany "
        "Sherif"
    ),
    _words("Fatma Mona Heba Nour Yasmin Sara Dina Rania Aya Mariam Salma"),
)
_NG = NameStyle(
    "western",
    _words(
        "Okafor Adeyemi Okonkwo Eze Nwosu Bello Abubakar Ogunleye Adebayo Obi Okeke Olawale "
        "Balogun Ibrahim Mohammed Onyeka Chukwu Okoro Afolabi Adewale"
    ),
    _words(
        "Chukwuemeka Oluwaseun Ibrahim Emeka Chinedu Olumide Babatunde Musa Yusuf Adebayo "
        "Obinna Ikenna Tunde Abubakar Segun Uche"
    ),
    _words(
        "Ngozi Chiamaka Funmilayo Aisha Adaeze Folake Oluwakemi Amina Blessing Chioma Nneka "
        "Yetunde Zainab"
    ),
)
_PK = NameStyle(
    "south_asian",
    _words(
        "Khan Ahmed Malik Hussain Qureshi Butt Chaudhry Sheikh Raza Iqbal Akhtar Mirza Baig "
        "Siddiqui Javed Abbasi"
    ),
    _words(
        "Ahmed Ali Hassan Usman Bilal Imran Faisal Zubair Kamran Tariq Asif Shahid Waqas Adnan "
        "Hamza"
    ),
    _words("Ayesha Fatima Sana Hina Sadia Mehwish Rabia Zainab Nadia Saima Amna Maryam"),
    extra_m=("Muhammad",),
)
_BD = NameStyle(
    "south_asian",
    _words("Islam Rahman Hossain Ahmed Uddin Alam Chowdhury Khan Miah Sarkar Haque Kabir"),
    _words(
        "Rafiqul Karim Mizanur Shahidul Aminul Kamrul Mahbubur Habibur Nazrul Anisur Saiful "
        "Jahangir Tanvir"
    ),
    _words("Nasrin Shirin Fatema Rokeya Taslima Sharmin Nusrat Farzana Sultana Jesmin Ruma"),
    extra_m=("Mohammad", "Md."),
)
_TR = NameStyle(
    "western",
    _words(
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç "
        "Aslan Çetin Kara Koç Kurt Özkan Şimşek"
    ),
    _words(
        "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Emre Burak "
        "Serkan Oğuz"
    ),
    _words("Ayşe Fatma Emine Hatice Zeynep Elif Merve Özlem Büşra Gül Derya"),
)
_IR = NameStyle(
    "western",
    _words(
        "Mohammadi Hosseini Ahmadi Rezaei Moradi Karimi Rahimi Jafari Ghasemi Hashemi Mousavi "
        "Sadeghi Kazemi Tehrani Rostami Ebrahimi Nazari Shirazi"
    ),
    _words(
        "Mohammad Ali Hossein Reza Mehdi Amir Hamid Saeed Majid Behnam Dariush Kourosh Arash Farhad"
    ),
    _words("Fatemeh Zahra Maryam Narges Sara Leila Shirin Parisa Niloofar Mahsa Azadeh Roya"),
)

# --------------------------------------------------------------------------- nationalities

ASEAN = frozenset({"MYS", "SGP", "THA", "PHL", "VNM"})


@dataclass(frozen=True)
class Nationality:
    """One nationality of the mix: its share, profile group, names, places, passports.

    ``passport`` is a template: ``d`` a digit, ``u`` a letter, ``x`` one of the letters and
    digits of German-style numbers, anything else itself.
    """

    code: str
    share: float
    group: str  # "industrial", "western" or "south" (profile mix, see PROFILE_MIX)
    styles: tuple[tuple[float, NameStyle], ...]
    places: tuple[str, ...]
    passport: str
    passport_years: int = 10
    year_only_rate: float = 0.01


def _nat(code, share, group, styles, places, passport, years=10, year_only=0.01):
    if isinstance(styles, NameStyle):
        styles = ((1.0, styles),)
    return Nationality(
        code, share, group, tuple(styles), _items(places), passport, years, year_only
    )


NATIONALITIES: tuple[Nationality, ...] = (
    _nat(
        "CHN",
        0.28,
        "industrial",
        _CN,
        "Jiangsu|Shandong|Zhejiang|Henan|Hebei|Fujian|Guangdong|Sichuan|Hubei|Hunan|Anhui|"
        "Liaoning|Jiangxi|Shaanxi|Shanghai|Beijing|Tianjin|Guangxi",
        "Edddddddd",
    ),
    _nat(
        "KOR",
        0.10,
        "industrial",
        _KR,
        "Seoul|Busan|Incheon|Daegu|Daejeon|Gwangju|Ulsan|Suwon|Changwon|Pohang",
        "Mdddddddd",
    ),
    _nat(
        "JPN",
        0.06,
        "industrial",
        _JP,
        "Tokyo|Osaka|Kanagawa|Aichi|Saitama|Chiba|Hyogo|Fukuoka|Hokkaido|Shizuoka|Hiroshima",
        "uuddddddd",
    ),
    _nat(
        "IND",
        0.06,
        "industrial",
        _IN,
        "Chennai|Mumbai|New Delhi|Kolkata|Bengaluru|Hyderabad|Pune|Ahmedabad|Kochi|Coimbatore",
        "uddddddd",
    ),
    _nat(
        "TWN",
        0.04,
        "industrial",
        _TW,
        "Taipei|Kaohsiung|Taichung|Tainan|Taoyuan|Hsinchu|Changhua",
        "3dddddddd",
    ),
    _nat(
        "MYS",
        0.06,
        "industrial",
        ((0.6, _MALAY), (0.3, _SEA_CN), (0.1, _TAMIL)),
        "Kuala Lumpur|Johor Bahru|Pulau Pinang|Ipoh|Melaka|Kota Bharu|Kuching|Kota Kinabalu|"
        "Seremban|Shah Alam",
        "Adddddddd",
        years=5,
    ),
    _nat(
        "VNM",
        0.03,
        "industrial",
        _VN,
        "Hà Nội|Hồ Chí Minh|Hải Phòng|Nam Định|Thái Bình|Nghệ An|Thanh Hóa|Đà Nẵng|Bắc Ninh",
        "uddddddd",
    ),
    _nat(
        "PHL",
        0.03,
        "industrial",
        _PH,
        "Manila|Quezon City|Cebu City|Davao City|Iloilo City|Bacolod|Cagayan de Oro|Batangas",
        "Pdddddddu",
    ),
    _nat(
        "THA",
        0.02,
        "industrial",
        _TH,
        "Bangkok|Chiang Mai|Khon Kaen|Nakhon Ratchasima|Udon Thani|Hat Yai|Chonburi|Phuket",
        "uuddddddd",
        years=5,
    ),
    _nat(
        "AUS",
        0.04,
        "western",
        _EN,
        "Sydney|Melbourne|Brisbane|Perth|Adelaide|Darwin|Hobart|Cairns",
        "uddddddd",
    ),
    _nat(
        "USA",
        0.03,
        "western",
        _EN,
        "California|Texas|New York|Florida|Washington|Hawaii|Illinois|Oregon",
        "5dddddddd",
    ),
    _nat(
        "GBR",
        0.02,
        "western",
        _EN,
        "London|Manchester|Birmingham|Leeds|Glasgow|Bristol|Liverpool|Edinburgh",
        "1dddddddd",
    ),
    _nat(
        "DEU",
        0.02,
        "western",
        _DE,
        "Berlin|München|Hamburg|Köln|Frankfurt am Main|Stuttgart|Düsseldorf|Leipzig",
        "Cxxxxxxxx",
    ),
    _nat(
        "NLD",
        0.02,
        "western",
        _NL,
        "Amsterdam|Rotterdam|Den Haag|Utrecht|Eindhoven|Groningen|Leiden",
        "uuxxxxxxd",
    ),
    _nat(
        "FRA",
        0.01,
        "western",
        _FR,
        "Paris|Lyon|Marseille|Toulouse|Nantes|Bordeaux|Lille|Strasbourg",
        "dduuddddd",
    ),
    _nat(
        "RUS",
        0.02,
        "western",
        _RU,
        "Moskva|Sankt-Peterburg|Novosibirsk|Yekaterinburg|Kazan|Vladivostok|Krasnoyarsk",
        "7dddddddd",
    ),
    _nat(
        "SAU",
        0.02,
        "south",
        _SA,
        "Riyadh|Jeddah|Makkah|Madinah|Dammam|Taif|Abha",
        "uddddddd",
        years=5,
        year_only=0.05,
    ),
    _nat(
        "YEM",
        0.01,
        "south",
        _YE,
        "Sana'a|Aden|Mukalla|Tarim|Seiyun|Taiz|Hodeidah",
        "dddddddd",
        years=6,
        year_only=0.2,
    ),
    _nat(
        "NGA",
        0.01,
        "south",
        _NG,
        "Lagos|Abuja|Enugu|Onitsha|Ibadan|Kano|Port Harcourt|Owerri",
        "Adddddddd",
        year_only=0.15,
    ),
    _nat(
        "PAK",
        0.01,
        "south",
        _PK,
        "Karachi|Lahore|Islamabad|Faisalabad|Rawalpindi|Peshawar|Multan",
        "uuddddddd",
        years=5,
        year_only=0.15,
    ),
    _nat(
        "BGD",
        0.01,
        "south",
        _BD,
        "Dhaka|Chittagong|Sylhet|Khulna|Rajshahi|Comilla",
        "uuddddddd",
        years=5,
        year_only=0.15,
    ),
    _nat(
        "SGP",
        0.02,
        "industrial",
        ((0.75, _SEA_CN), (0.15, _MALAY), (0.1, _TAMIL)),
        "Singapore",
        "Kdddddddu",
    ),
    _nat("HKG", 0.01, "industrial", _HK, "Hong Kong", "Kdddddddd"),
    _nat("CAN", 0.01, "western", _EN, "Toronto|Vancouver|Montréal|Calgary|Ottawa", "uudddddd"),
    _nat("NZL", 0.01, "western", _EN, "Auckland|Wellington|Christchurch|Hamilton", "uudddddd"),
    _nat("ITA", 0.01, "western", _IT, "Roma|Milano|Napoli|Torino|Bologna|Firenze", "uuddddddd"),
    _nat(
        "ESP", 0.01, "western", _ES, "Madrid|Barcelona|Valencia|Sevilla|Bilbao|Málaga", "uuudddddd"
    ),
    _nat("SWE", 0.01, "western", _SE, "Stockholm|Göteborg|Malmö|Uppsala", "dddddddd", years=5),
    _nat(
        "TUR",
        0.01,
        "south",
        _TR,
        "İstanbul|Ankara|İzmir|Bursa|Konya|Antalya",
        "udddddddd",
    ),
    _nat(
        "EGY",
        0.01,
        "south",
        _EG,
        "Cairo|Alexandria|Giza|Mansoura|Tanta",
        "udddddddd",
        years=7,
        year_only=0.1,
    ),
    _nat("IRN", 0.01, "south", _IR, "Tehran|Mashhad|Isfahan|Shiraz|Tabriz", "udddddddd", years=5),
)
NAT_CODES = tuple(n.code for n in NATIONALITIES)
NAT_SHARES = np.array([n.share for n in NATIONALITIES]) / sum(n.share for n in NATIONALITIES)

# --------------------------------------------------------------------------- profiles

PROFILES = (
    "worker",
    "investor",
    "tourist",
    "spouse",
    "retiree",
    "permanent",
    "student",
    "former_citizen",
    "no_permit",
)
W, INV, TOUR, SPOUSE, RETIREE, PERM, STUDENT, FORMER, NONE = range(len(PROFILES))
RESIDENTS = (W, INV, SPOUSE, RETIREE, PERM, STUDENT, FORMER)

#: Profile mix per nationality group (same order as PROFILES).
PROFILE_MIX = {
    "industrial": (0.62, 0.07, 0.10, 0.07, 0.02, 0.06, 0.02, 0.02, 0.02),
    "western": (0.15, 0.04, 0.44, 0.12, 0.12, 0.07, 0.01, 0.03, 0.02),
    "south": (0.10, 0.05, 0.38, 0.15, 0.02, 0.04, 0.15, 0.04, 0.07),
}
#: Per profile: permit index, category, base duration (days), share with extensions.
RESIDENT_PERMITS = {
    W: ("E23", "limited", 365, 0.3),
    INV: ("E28A", "limited", 730, 0.2),
    SPOUSE: ("E31A", "limited", 365, 0.35),
    RETIREE: ("E33", "limited", 365, 0.3),
    PERM: ("ITAP", "permanent", 1825, 0.0),
    STUDENT: ("E30A", "limited", 365, 0.3),  # mapped to no index where the list lacks it
    FORMER: ("E32", "limited", 365, 0.3),
}
PURPOSES = {
    W: "Bekerja sebagai {position}",
    INV: "Investasi: {position}",
    SPOUSE: "Penyatuan keluarga (pasangan WNI)",
    RETIREE: "Lanjut usia / rumah kedua",
    PERM: "Tinggal tetap",
    STUDENT: "Studi",
    FORMER: "Eks WNI / diaspora",
    TOUR: "Wisata",
}
MALE_SHARE = (0.88, 0.80, 0.55, 0.62, 0.75, 0.60, 0.60, 0.50, 0.75)
AGE = (  # mean, sd, min, max per profile
    (38, 8, 22, 62),
    (48, 9, 28, 75),
    (38, 13, 18, 78),
    (40, 9, 22, 70),
    (66, 5, 60, 85),
    (50, 11, 25, 85),
    (23, 3, 18, 35),
    (45, 12, 20, 80),
    (36, 10, 18, 70),
)
VISIT_INDICES = ("A1", "B1", "C1", "D1")
# Where visit permits are granted (80 % at the airport, 10 % each at the others).
VISIT_OFFICES = (
    "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
    "Kantor Imigrasi Kelas II TPI Cilegon (Pelabuhan Merak)",
    "Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai",
)
VALID, EXPIRING, EXPIRED = 0, 1, 2
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# --------------------------------------------------------------------------- places

INDUSTRIAL_KECAMATAN = {
    "36.04.15": "Cikande",
    "36.04.16": "Kibin",
    "36.04.11": "Kragilan",
    "36.04.07": "Bojonegara",
    "36.04.08": "Pulo Ampel",
    "36.04.09": "Ciruas",
    "36.04.26": "Jawilan",
    "36.04.25": "Kopo",
}
TOURIST_KECAMATAN = ("36.04.30", "36.04.31")  # Anyar, Cinangka: the hotel coast
KOTA_SERANG = "36.73"
KAB_SERANG = "36.04"
KASEMEN = "36.73.02"
KELURAHAN_BANTEN = "36.73.02.1007"
# Kasemen's kelurahan on Banten Bay (Karangantu port, Banten Lama): the most foreigners.
KASEMEN_COASTAL = ("36.73.02.1007", "36.73.02.1008", "36.73.02.1010", "36.73.02.1011")

HOTELS = {
    "36.04.30": _items(
        "Hotel Pantai Anyar Asri (demo)|Anyar Bay Resort (demo)|Villa Tanjung Manis (demo)|"
        "Hotel Sambolo Indah (demo)"
    ),
    "36.04.31": _items(
        "Cinangka Beach Hotel (demo)|Pasauran Cottage (demo)|Karang Suraga Resort (demo)|"
        "Hotel Bulakan Permai (demo)"
    ),
    KELURAHAN_BANTEN: ("Hotel Surosowan Indah (demo)", "Wisma Banten Lama (demo)"),
    KOTA_SERANG: _items(
        "Hotel Serang Permai (demo)|Hotel Cipocok Raya (demo)|Hotel Alun-Alun Serang (demo)|"
        "Wisma Kasemen (demo)"
    ),
    KAB_SERANG: _items(
        "Hotel Kawasan Industri (demo)|Penginapan Ciruas Jaya (demo)|Guest House Kibin (demo)"
    ),
}
STREETS = _words("Melati Kenanga Mawar Flamboyan Cendana Anggrek Dahlia Cempaka Teratai Kamboja")
KAMPUNG = _words("Babakan Sukamaju Pasir Kebon Tegal Cibeber Cilampang Sukajadi Pabuaran Leuwi")
ESTATES = _items(
    "Griya Serang Asri (demo)|Taman Banten Lestari (demo)|Bumi Ciruas Permai (demo)|"
    "Cikande Residence (demo)|Puri Kasemen Indah (demo)"
)


@dataclass(frozen=True)
class Village:
    """A kelurahan or desa to place stays in; ``points`` lie inside its boundary (lon, lat)."""

    code: str
    name: str
    points: tuple[tuple[float, float], ...] = ()
    kind: str = field(init=False)

    def __post_init__(self) -> None:
        # A village code whose last part starts with 1 is a kelurahan, with 2 a desa.
        object.__setattr__(self, "kind", "Kel." if self.code.split(".")[-1][:1] == "1" else "Desa")


# --------------------------------------------------------------------------- companies


@dataclass(frozen=True)
class CompanySpec:
    """A fictional industrial-estate company (every name ends in "(demo)")."""

    name: str
    sector: str
    kecamatan: str
    origin: str  # the nationality most of its foreign staff have

    @property
    def nib(self) -> str:
        """A stable 13-digit business ID (NIB) derived from the name."""
        return f"9120{zlib.crc32(self.name.encode()) % 10**9:09d}"


COMPANIES: tuple[CompanySpec, ...] = tuple(
    CompanySpec(*row)
    for row in (
        ("PT Cikande Baja Sejahtera (demo)", "steel", "36.04.15", "CHN"),
        ("PT Nambo Logam Perkasa (demo)", "steel", "36.04.15", "CHN"),
        ("PT Cikande Kimia Nusantara (demo)", "chemicals", "36.04.15", "KOR"),
        ("PT Parigi Elektronik Indonesia (demo)", "electronics", "36.04.15", "JPN"),
        ("PT Songgom Sepatu Jaya (demo)", "footwear", "36.04.15", "TWN"),
        ("PT Kibin Tekstil Makmur (demo)", "textile", "36.04.16", "KOR"),
        ("PT Kibin Sepatu Mandiri (demo)", "footwear", "36.04.16", "KOR"),
        ("PT Kibin Elektrik Presisi (demo)", "electronics", "36.04.16", "TWN"),
        ("PT Kragilan Garmen Sentosa (demo)", "textile", "36.04.11", "CHN"),
        ("PT Kragilan Alas Kaki Utama (demo)", "footwear", "36.04.11", "TWN"),
        ("PT Bojonegara Baja Samudra (demo)", "steel", "36.04.07", "CHN"),
        ("PT Bojonegara Kimia Pratama (demo)", "chemicals", "36.04.07", "IND"),
        ("PT Teluk Banten Energi (demo)", "power plant", "36.04.07", "CHN"),
        ("PT Puloampel Kimia Raya (demo)", "chemicals", "36.04.08", "JPN"),
        ("PT Puloampel Energi Listrik (demo)", "power plant", "36.04.08", "CHN"),
        ("PT Puloampel Smelter Nusantara (demo)", "steel", "36.04.08", "CHN"),
        ("PT Ciruas Tekstil Indah (demo)", "textile", "36.04.09", "IND"),
        ("PT Ciruas Elektronika Mandiri (demo)", "electronics", "36.04.09", "KOR"),
        ("PT Jawilan Sepatu Prima (demo)", "footwear", "36.04.26", "KOR"),
        ("PT Jawilan Garmen Abadi (demo)", "textile", "36.04.26", "CHN"),
        ("PT Kopo Alas Kaki Sejati (demo)", "footwear", "36.04.25", "TWN"),
        ("PT Kopo Kimia Hijau (demo)", "chemicals", "36.04.25", "MYS"),
        ("PT Cikande Panel Surya (demo)", "electronics", "36.04.15", "CHN"),
        ("PT Bojonegara Petrokimia Asia (demo)", "chemicals", "36.04.07", "THA"),
    )
)
POSITIONS = {
    "steel": _items(
        "Furnace Engineer|Production Manager|Rolling Mill Specialist|Metallurgist|"
        "Maintenance Supervisor|Quality Control Manager"
    ),
    "chemicals": _items(
        "Process Engineer|Plant Manager|HSE Manager|Laboratory Supervisor|Production Engineer"
    ),
    "textile": _items(
        "Dyeing Technician|Production Supervisor|Weaving Specialist|Quality Control Supervisor|"
        "Merchandising Manager"
    ),
    "footwear": _items(
        "Technical Advisor|Production Manager|Sole Moulding Specialist|Quality Manager|"
        "Development Manager"
    ),
    "electronics": _items(
        "SMT Engineer|Line Supervisor|Test Engineer|Production Engineer|Quality Assurance Manager"
    ),
    "power plant": _items(
        "Boiler Engineer|Turbine Specialist|Commissioning Engineer|Electrical Engineer|"
        "Operations Manager"
    ),
}
INVESTOR_POSITIONS = ("Direktur Utama", "Direktur", "Komisaris")


@dataclass(frozen=True)
class Company:
    """A company sponsor as stored: its id and the village it works in."""

    id: int
    spec: CompanySpec
    village: str


def company_village(spec: CompanySpec, villages: Sequence[Village]) -> str:
    """The desa a company sits in: a stable pick among its kecamatan's villages."""
    inside = sorted(v.code for v in villages if v.code.startswith(spec.kecamatan + "."))
    if not inside:
        raise ValueError(f"no village of kecamatan {spec.kecamatan} among the areas")
    return inside[zlib.crc32(spec.name.encode()) % len(inside)]


def company_row(spec: CompanySpec, sponsor_id: int, villages: Sequence[Village]) -> tuple:
    """The sponsor row (SPONSOR_COLUMNS) of a fictional company."""
    code = company_village(spec, villages)
    name = {v.code: v.name for v in villages}[code]
    slug = "".join(c for c in spec.name.lower().replace("(demo)", "") if c.isalnum())[:24]
    kecamatan = INDUSTRIAL_KECAMATAN.get(spec.kecamatan, "")
    return (
        sponsor_id,
        *_area_parts(code),
        "company",
        spec.name,
        spec.nib,
        "",
        spec.sector,
        f"Kawasan Industri {kecamatan} (demo), Kav. {zlib.crc32(slug.encode()) % 90 + 10}, "
        f"Desa {name}",
        "Bagian HRD",
        f"0254-{zlib.crc32(spec.nib.encode()) % 9_000_000 + 1_000_000}",
        f"hrd@{slug}.example",
    )


# --------------------------------------------------------------------------- Indonesian names

_ID_MALE = _words(
    "Ahmad Budi Asep Dede Ujang Rahmat Agus Eko Hendra Iwan Jaja Nanang Rudi Wawan Dadang Cecep "
    "Encep Mamat Hasan Ade"
)
_ID_MALE_LAST = _words(
    "Fauzi Santoso Saepudin Suhendar Sobari Hasanudin Hidayat Salim Prasetyo Gunawan Setiawan "
    "Suharja Kosim Hartono Kurniawan Supriatna Sutisna Mulyana Hermawan"
)
_ID_FEMALE = _words(
    "Siti Dewi Euis Neng Rina Iis Nur Sri Lilis Eneng Yanti Fitri Nia Ani Wulan Dian Ratna Tuti"
)
_ID_FEMALE_LAST = _words(
    "Aminah Lestari Komariah Yuliani Marlina Suryani Hayati Wahyuni Rohmah Susanti Handayani "
    "Kurniasih Rahmawati Nurjanah Maryati Sumiati Fatimah"
)


# --------------------------------------------------------------------------- the batches


@dataclass
class Batch:
    """Rows of one batch, per table (``COLUMNS`` gives each tuple's column order)."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in TABLE_ORDER})

    @property
    def persons(self) -> int:
        return len(self.rows["registry_person"])

    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


@dataclass(frozen=True)
class Scenario:
    """A person the demo must show: every stay inside ``area``, the permit in ``status``
    (``valid``, ``expiring``, ``expired``, ``overstay`` past 60 days) for a ``profile``."""

    area: str
    status: str
    profile: int = W


#: Persons the demo personas must find: in kelurahan Banten and elsewhere in Kasemen (some
#: overstaying, some expiring), and in Taktakan, which the Kasemen police must not see.
DEMO_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(KELURAHAN_BANTEN, "expired", TOUR),
    Scenario(KELURAHAN_BANTEN, "overstay", W),
    Scenario(KELURAHAN_BANTEN, "expired", SPOUSE),
    Scenario(KELURAHAN_BANTEN, "expiring", W),
    Scenario(KELURAHAN_BANTEN, "expiring", TOUR),
    Scenario(KELURAHAN_BANTEN, "valid", RETIREE),
    Scenario(KELURAHAN_BANTEN, "valid", W),
    Scenario("36.73.02.1008", "overstay", TOUR),
    Scenario("36.73.02.1001", "expiring", SPOUSE),
    Scenario("36.73.02.1011", "valid", INV),
    Scenario("36.73.06", "expired", W),
    Scenario("36.73.06", "expiring", TOUR),
    Scenario("36.73.06", "valid", SPOUSE),
    Scenario("36.73.06", "valid", W),
)


@dataclass
class Setup:
    """What a generation run needs from the database and the caller."""

    villages: Sequence[Village]
    companies: Sequence[Company]
    index_ids: Mapping[str, int]
    first_ids: Mapping[str, int]
    today: date
    seed: int = DEFAULT_SEED
    start: int = 0  # position in the synthetic sequence (a later load continues it)
    batch_size: int = DEFAULT_BATCH
    mrz_share: float = 0.10
    scenarios: Sequence[Scenario] = ()


def generate(persons: int, setup: Setup) -> Iterator[Batch]:
    """Yield ``persons`` synthetic persons with their rows, ``setup.batch_size`` at a time.

    Memory stays flat whatever ``persons`` is: only one batch's rows exist at a time.
    """
    gen = _Generator(setup)
    done = 0
    while done < persons:
        n = min(setup.batch_size, persons - done)
        yield gen.batch(setup.start + done, n, first=(done == 0))
        done += n


# --------------------------------------------------------------------------- helpers

_EPOCH = date(1970, 1, 1)


def _day(d: date) -> int:
    return (d - _EPOCH).days


_ISO_FIRST = _day(date(1900, 1, 1))
# Every date from 1900 to 2100 as text, once: a lookup is ten times faster than formatting.
_ISO_TABLE = np.datetime_as_string(
    np.arange(_ISO_FIRST, _day(date(2100, 1, 1)), dtype=np.int64).astype("datetime64[D]"),
    unit="D",
).astype(object)


def _iso(days: np.ndarray, null: np.ndarray | None = None) -> list:
    """Day numbers → ``YYYY-MM-DD`` strings (None where ``null``)."""
    out = _ISO_TABLE[np.asarray(days, dtype=np.int64) - _ISO_FIRST]
    if null is not None and null.any():
        out[null] = None
    return out.tolist()


def _area_parts(code: str) -> tuple[str, str, str, str]:
    """``36.73.02.1007`` → (province, kabkota, kecamatan, kelurahan) codes."""
    parts = code.split(".")
    return tuple(".".join(parts[:n]) if len(parts) >= n else "" for n in (1, 2, 3, 4))  # type: ignore[return-value]


def _uniform(rng: np.random.Generator, low, high, size: int | None = None) -> np.ndarray:
    """Integers uniformly in [low, high] (arrays allowed; high < low gives low)."""
    low = np.asarray(low, dtype=np.int64)
    high = np.maximum(np.asarray(high, dtype=np.int64), low)
    shape = np.broadcast_shapes(low.shape, high.shape, () if size is None else (size,))
    return low + np.floor(rng.random(shape) * (high - low + 1)).astype(np.int64)


def _date(day) -> date:
    return date.fromordinal(_EPOCH.toordinal() + int(day))


def _first_of_year(days: np.ndarray) -> np.ndarray:
    """Day numbers → the day number of 1 January of the same year."""
    years = np.asarray(days, dtype="datetime64[D]").astype("datetime64[Y]")
    return years.astype("datetime64[D]").astype(np.int64)


_fold = cache(fold)  # name parts repeat a lot: fold each distinct one once


def _name_key(surname: str, given: str) -> str:
    """``timpora.lib.names.name_key(surname, given)``, from cached parts."""
    return " ".join(part for part in (_fold(surname), _fold(given)) if part)


@cache
def _passport_alphabets(template: str) -> tuple[tuple[str, ...], int]:
    alphabets = []
    for char in template:
        if char == "d":
            alphabets.append("0123456789")
        elif char == "u":
            alphabets.append("ABCDEFGHJKLMNPRSTUVWXYZ")  # no I, O, Q: confusable with digits
        elif char == "x":
            alphabets.append("CFGHJKLMNPRTVWXYZ0123456789")
        else:
            alphabets.append(char)
    space = math.prod(len(a) for a in alphabets)
    return tuple(alphabets), space


def passport_numbers(code: str, template: str, keys: np.ndarray) -> list[str]:
    """Distinct passport numbers for distinct ``keys``: a fixed affine permutation of the
    country's number space (the same for every seed, so separate loads never collide)."""
    alphabets, space = _passport_alphabets(template)
    salt = zlib.crc32(code.encode())
    mult = int(space * 0.6180339887) | 1
    while math.gcd(mult, space) != 1:
        mult += 2
    values = (keys.astype(np.int64) % space * mult + salt % space) % space
    columns = []
    for alphabet in reversed(alphabets):
        radix = len(alphabet)
        table = np.frombuffer(alphabet.encode(), dtype=np.uint8)
        columns.append(table[values % radix])
        values = values // radix
    chars = np.stack(columns[::-1], axis=1).copy()
    return chars.view(f"S{len(alphabets)}").ravel().astype(str).tolist()


def _nik(kecamatan: str, birth: date, female: bool, serial: int) -> str:
    """A NIK that validates (timpora.lib.nik): region, DDMMYY (+40 for women), serial."""
    region = kecamatan.replace(".", "")
    day = birth.day + (40 if female else 0)
    return f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial % 9999 + 1:04d}"


# --------------------------------------------------------------------------- the generator


class _Generator:
    def __init__(self, setup: Setup):
        self.s = setup
        self.today = _day(setup.today)
        self.cutoff = self.today - HISTORY_DAYS
        self.next_id = {table: int(setup.first_ids.get(table, 1)) for table in TABLE_ORDER}
        self.villages = list(setup.villages)
        self.codes = [v.code for v in self.villages]
        self.parts = [_area_parts(c) for c in self.codes]
        self.village_by_code = {v.code: i for i, v in enumerate(self.villages)}
        if not self.villages:
            raise ValueError("no villages to place stays in")
        self.companies = list(setup.companies)
        if not self.companies:
            raise ValueError("no companies to employ workers")
        self.company_parts = {c.id: _area_parts(c.village) for c in self.companies}
        self.weights = self._village_weights()
        self.points = [np.array(v.points, dtype=float) if v.points else None for v in self.villages]
        self.company_weights = self._company_weights()
        prof = np.array([PROFILE_MIX[n.group] for n in NATIONALITIES])
        self.profile_cum = np.cumsum(prof / prof.sum(axis=1, keepdims=True), axis=1)

    # -- where people stay ------------------------------------------------------------------

    def _village_weights(self) -> dict[str, np.ndarray]:
        codes = self.codes
        kota = np.array([c.startswith(KOTA_SERANG + ".") for c in codes])
        kab = np.array([c.startswith(KAB_SERANG + ".") for c in codes])
        industrial = np.array([c[:8] in INDUSTRIAL_KECAMATAN for c in codes])
        tourist = np.array([c[:8] in TOURIST_KECAMATAN for c in codes])
        # Within Kota Serang: Kasemen's coastal kelurahan ×4, the rest of Kasemen ×2.
        city = (
            np.where(
                np.isin(codes, KASEMEN_COASTAL),
                4.0,
                np.where(np.char.startswith(np.array(codes), KASEMEN + "."), 2.0, 1.0),
            )
            * kota
        )

        def mix(*parts: tuple[float, np.ndarray]) -> np.ndarray:
            total = np.zeros(len(codes))
            for share, weights in parts:
                if weights.sum() > 0:
                    total += share * weights / weights.sum()
            return total / total.sum()

        other_kab = kab & ~industrial & ~tourist
        return {
            "industrial": mix((0.55, industrial * 1.0), (0.15, other_kab * 1.0), (0.30, city)),
            "tourist": mix((0.65, tourist * 1.0), (0.30, city), (0.05, other_kab * 1.0)),
            "resident": mix((0.50, city), (0.50, kab * (1.0 + industrial))),
        }

    def _company_weights(self) -> np.ndarray:
        """Per nationality: the chance of working for each company (70 % for a company of the
        same origin, when there is one)."""
        origins = np.array([c.spec.origin for c in self.companies])
        weights = np.zeros((len(NATIONALITIES), len(self.companies)))
        for i, nat in enumerate(NATIONALITIES):
            same = origins == nat.code
            base = np.full(len(self.companies), 1.0 / len(self.companies))
            if same.any():
                base = 0.3 * base + 0.7 * same / same.sum()
            weights[i] = base
        return np.cumsum(weights, axis=1)

    # -- ids ---------------------------------------------------------------------------------

    def _ids(self, table: str, count: int) -> np.ndarray:
        first = self.next_id[table]
        self.next_id[table] = first + count
        return np.arange(first, first + count, dtype=np.int64)

    # -- one batch ---------------------------------------------------------------------------

    def batch(self, position: int, n: int, first: bool) -> Batch:
        rng = np.random.default_rng([self.s.seed, position])
        today = self.today
        out = Batch()

        # ---- who --------------------------------------------------------------------------------
        nat = rng.choice(len(NATIONALITIES), size=n, p=NAT_SHARES)
        profile = (rng.random(n)[:, None] > self.profile_cum[nat]).sum(axis=1)
        profile = np.minimum(profile, len(PROFILES) - 1)
        scenarios = list(self.s.scenarios[:n]) if first else []
        for i, sc in enumerate(scenarios):
            profile[i] = sc.profile
        male = rng.random(n) < np.array(MALE_SHARE)[profile]
        mean, sd, lo, hi = (np.array(col)[profile] for col in zip(*AGE, strict=True))
        age = np.clip(rng.normal(mean, sd), lo, hi)
        birth = today - (age * 365.25).astype(np.int64) - _uniform(rng, 0, 364, n)
        year_only = rng.random(n) < np.array([x.year_only_rate for x in NATIONALITIES])[nat]
        birth = np.where(year_only, _first_of_year(birth), birth)
        has_permit = profile != NONE
        perm = profile == PERM
        is_tour = profile == TOUR

        # ---- status of the current permit: exact shares, drawn among the non-ITAP holders -------
        status = np.full(n, VALID, dtype=np.int8)
        eligible = np.flatnonzero(has_permit & ~perm)
        eligible = eligible[eligible >= len(scenarios)]
        picks = rng.permutation(eligible)
        n_exp = min(round(EXPIRED_SHARE * n), len(picks))
        n_soon = min(round(EXPIRING_SHARE * n), len(picks) - n_exp)
        status[picks[:n_exp]] = EXPIRED
        status[picks[n_exp : n_exp + n_soon]] = EXPIRING
        overstay = np.where(
            rng.random(n) < 0.55, _uniform(rng, 1, 60, n), _uniform(rng, 61, 200, n)
        )
        for i, sc in enumerate(scenarios):
            status[i] = {"valid": VALID, "expiring": EXPIRING}.get(sc.status, EXPIRED)
            if sc.status == "overstay":
                overstay[i] = 61 + overstay[i] % 140
            elif sc.status == "expired":
                overstay[i] = 1 + overstay[i] % 60

        # ---- current permit: index, duration, extensions ----------------------------------------
        index = np.full(n, "", dtype=object)
        category = np.full(n, "", dtype=object)
        base = np.zeros(n, dtype=np.int64)
        n_ext = np.zeros(n, dtype=np.int64)
        u = rng.random(n)
        for prof, (code, cat, days, ext_share) in RESIDENT_PERMITS.items():
            sel = profile == prof
            index[sel], category[sel], base[sel] = code, cat, days
            n_ext[sel & (u < ext_share)] = 1
        base[(profile == W) & (rng.random(n) < 0.2)] = 180  # six-month work permits
        tour = np.flatnonzero(is_tour)
        asean = np.isin(np.array(NAT_CODES)[nat[tour]], list(ASEAN))
        r = rng.random(len(tour))
        visit = np.where(
            asean,
            np.select([r < 0.55, r < 0.70, r < 0.85], ["A1", "B1", "C1"], "D1"),
            np.select([r < 0.50, r < 0.80], ["B1", "C1"], "D1"),
        ).astype(object)
        valid_tour = status[tour] == VALID
        # 30-day permits cannot be valid for more than 30 days: these tourists came on a
        # 60-day visa (a visa-on-arrival extension would still lie in the future).
        short = valid_tour & np.isin(visit, ["A1", "B1"])
        visit[short] = np.where(rng.random(int(short.sum())) < 0.6, "C1", "D1")
        r = rng.random(len(tour))
        ext = np.zeros(len(tour), dtype=np.int64)
        b1, c1 = visit == "B1", visit == "C1"
        ext[b1] = r[b1] < 0.4  # visa on arrival: extendable once
        ext[c1] = np.select([r < 0.5, r < 0.8], [0, 1], 2)[c1]  # C-series: up to 180 days
        index[tour], category[tour] = visit, "visit"
        base[tour] = np.where(np.isin(visit, ["A1", "B1"]), 30, 60)
        n_ext[tour] = ext
        ext_days = base.copy()
        total = base + n_ext * ext_days
        # An extension is decided before the permit it extends runs out, so with extensions
        # at most one extension's length remains: the last decision lies in the past.
        longest = np.where(n_ext > 0, np.minimum(total - 1, ext_days), total - 1)
        remaining = np.select(
            [status == VALID, status == EXPIRING],
            [
                _uniform(rng, np.maximum(31, total - 1 - HISTORY_DAYS), longest),
                _uniform(rng, 0, np.minimum(EXPIRING_DAYS, longest)),
            ],
            -overstay,
        )
        cur_until = today + remaining
        cur_issue = cur_until - (total - 1)
        # A long permit that ran out (or soon runs out) after an extension would have been
        # issued more than three years ago: such persons did without the extension.
        too_old = (cur_issue < self.cutoff) & (n_ext > 0)
        n_ext[too_old] = 0
        total = base + n_ext * ext_days
        cur_issue = cur_until - (total - 1)

        # ---- earlier permits: renewals of residents, earlier visits of tourists -----------------
        prev_index = index.copy()
        prev_cat = category.copy()
        prev_index[perm] = np.where(rng.random(int(perm.sum())) < 0.6, "E31A", "E23")
        prev_cat[perm] = "limited"
        prev_base = np.where(perm, 365, base)
        u = rng.random(n)
        k_prev = np.where(
            is_tour,
            np.select([u < 0.6, u < 0.9], [0, 1], 2),
            np.select([u < 0.3, u < 0.7], [0, 1], 2),
        )
        k_prev[~has_permit] = 0
        earlier: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (persons, issue, until)
        next_issue = cur_issue.copy()
        alive = k_prev >= 1
        for level in (1, 2):
            gap = np.where(is_tour, _uniform(rng, 30, 400, n), _uniform(rng, 1, 6, n))
            until = next_issue - gap
            issue = until - (prev_base - 1)
            alive = alive & (k_prev >= level) & (issue >= self.cutoff)
            rows = np.flatnonzero(alive)
            earlier.append((rows, issue[rows], until[rows]))
            next_issue = issue
        first_issue = cur_issue.copy()
        for rows, issue, _ in earlier:
            first_issue[rows] = np.minimum(first_issue[rows], issue)
        first_issue[~has_permit] = today - _uniform(rng, 20, 700, n)[~has_permit]

        # ---- employers and positions ------------------------------------------------------------
        employed = np.flatnonzero((profile == W) | (profile == INV))
        company_of = np.full(n, -1, dtype=np.int64)
        company_of[employed] = self._pick_company(rng, nat[employed])
        position = [""] * n
        pick = rng.integers(0, 1 << 30, size=n).tolist()
        profile_l, company_l = profile.tolist(), company_of.tolist()
        for i in employed.tolist():
            options = (
                INVESTOR_POSITIONS
                if profile_l[i] == INV
                else POSITIONS[self.companies[company_l[i]].spec.sector]
            )
            position[i] = options[pick[i] % len(options)]

        # ---- stays ------------------------------------------------------------------------------
        sp, s_from, s_to, s_kind = self._stays(
            rng, profile, has_permit, first_issue, cur_issue, earlier
        )
        village = np.empty(len(sp), dtype=np.int64)
        group = np.where(
            profile[sp] == TOUR, 0, np.where((profile[sp] == W) | (profile[sp] == INV), 1, 2)
        )
        for g, name in enumerate(("tourist", "industrial", "resident")):
            sel = group == g
            village[sel] = rng.choice(len(self.codes), size=int(sel.sum()), p=self.weights[name])
        for i, sc in enumerate(scenarios):
            inside = self._inside(sc.area)
            rows = np.flatnonzero(sp == i)
            village[rows] = inside[rng.integers(0, len(inside), size=len(rows))]
        last_stay = np.r_[sp[1:] != sp[:-1], True]
        current_village = np.full(n, -1, dtype=np.int64)
        current_village[sp[last_stay]] = village[last_stay]
        current_from = np.zeros(n, dtype=np.int64)
        current_from[sp[last_stay]] = s_from[last_stay]

        person_ids = self._ids("registry_person", n)
        surname, given, full = self._names(rng, nat, male)

        # ---- travel documents: the current passport, for some an older one ----------------------
        years = np.array([x.passport_years for x in NATIONALITIES])[nat]
        validity = years * 365 + years // 4
        ub = first_issue - 30
        lb = today - validity + 90
        doc_issue = _uniform(rng, np.minimum(lb, ub - 30), ub)
        expired_doc = rng.random(n) < 0.02  # no valid travel document (Art. 119)
        doc_issue[expired_doc] = (today - validity - _uniform(rng, 1, 300, n))[expired_doc]
        doc_expiry = doc_issue + validity - 1
        has_old = rng.random(n) < 0.10
        old_expiry = doc_issue + _uniform(rng, -200, 30, n)
        old = np.flatnonzero(has_old)
        d_person = np.concatenate([np.arange(n), old])
        d_old = np.r_[np.zeros(n, dtype=bool), np.ones(len(old), dtype=bool)]
        order = np.lexsort((~d_old, d_person))  # per person: the older passport first
        d_person, d_old = d_person[order], d_old[order]
        d_key = 2 * person_ids[d_person] + d_old
        d_expiry = np.where(d_old, old_expiry[d_person], doc_expiry[d_person])
        d_issue = np.where(d_old, d_expiry - validity[d_person] + 1, doc_issue[d_person])
        doc_ids = self._ids("registry_traveldocument", len(d_person))
        cur_doc = np.zeros(n, dtype=np.int64)
        old_doc = np.zeros(n, dtype=np.int64)
        cur_doc[d_person[~d_old]] = doc_ids[~d_old]
        old_doc[d_person[d_old]] = doc_ids[d_old]
        numbers = np.empty(len(d_person), dtype=object)
        for k, x in enumerate(NATIONALITIES):
            sel = np.flatnonzero(nat[d_person] == k)
            if len(sel):
                numbers[sel] = passport_numbers(x.code, x.passport, d_key[sel])
        mrz = np.full(len(d_person), "", dtype=object)
        with_mrz = np.flatnonzero((rng.random(len(d_person)) < self.s.mrz_share) & ~d_old)
        for k in with_mrz.tolist():
            i = int(d_person[k])
            code = NAT_CODES[nat[i]]
            mrz[k] = "\n".join(
                build_td3(
                    issuing_state=code,
                    surname=surname[i] or given[i],
                    given_names=given[i] if surname[i] else "",
                    document_number=numbers[k],
                    nationality=code,
                    birth_date=None if year_only[i] else _date(birth[i]),
                    sex="M" if male[i] else "F",
                    expiry_date=_date(d_expiry[k]),
                )
            )
        out.rows["registry_traveldocument"] = list(
            zip(
                doc_ids.tolist(),
                person_ids[d_person].tolist(),
                ["P"] * len(d_person),
                numbers.tolist(),
                [NAT_CODES[k] for k in nat[d_person].tolist()],
                _iso(d_issue),
                _iso(d_expiry),
                mrz.tolist(),
                strict=True,
            )
        )

        # ---- sponsors: a citizen for each spouse (and permanent resident by marriage) -----------
        comp_ids = np.array([c.id for c in self.companies], dtype=np.int64)
        sponsor_of = np.zeros(n, dtype=np.int64)
        sponsor_of[employed] = comp_ids[company_of[employed]]
        by_marriage = (profile == SPOUSE) | (perm & (prev_index == "E31A"))
        by_company = np.flatnonzero(perm & ~by_marriage)
        sponsor_of[by_company] = comp_ids[self._pick_company(rng, nat[by_company])]
        citizens = np.flatnonzero(by_marriage)
        citizen_ids = self._ids("registry_sponsor", len(citizens))
        sponsor_of[citizens] = citizen_ids

        # ---- stays as rows ----------------------------------------------------------------------
        stay_ids = self._ids("registry_stay", len(sp))
        addr_pick = rng.integers(0, 1 << 30, size=len(sp)).tolist()
        addresses = [
            self._address(profile_l[i], self.villages[v], a, company_l[i])
            for i, v, a in zip(sp.tolist(), village.tolist(), addr_pick, strict=True)
        ]
        lon = np.full(len(sp), np.nan)
        lat = np.full(len(sp), np.nan)
        for v in np.unique(village).tolist():
            points = self.points[v]
            if points is not None:
                rows = np.flatnonzero(village == v)
                chosen = points[rng.integers(0, len(points), size=len(rows))]
                lon[rows] = np.round(chosen[:, 0] + rng.uniform(-3e-4, 3e-4, len(rows)), 6)
                lat[rows] = np.round(chosen[:, 1] + rng.uniform(-3e-4, 3e-4, len(rows)), 6)
        no_point = np.isnan(lon)
        lon_l = np.where(no_point, None, lon).tolist()
        lat_l = np.where(no_point, None, lat).tolist()
        parts = [self.parts[v] for v in village.tolist()]
        refs = [
            f"AR-{sid:09d}" if kind == "accommodation" else ""
            for sid, kind in zip(stay_ids.tolist(), s_kind, strict=True)
        ]
        out.rows["registry_stay"] = list(
            zip(
                stay_ids.tolist(),
                person_ids[sp].tolist(),
                *zip(*parts, strict=True),
                addresses,
                lon_l,
                lat_l,
                _iso(s_from),
                _iso(s_to, s_to < 0),
                s_kind,
                refs,
                strict=True,
            )
        )
        current_address = dict(
            zip(sp[last_stay].tolist(), np.array(addresses, dtype=object)[last_stay], strict=True)
        )

        sponsors = out.rows["registry_sponsor"]
        for sid, i in zip(citizen_ids.tolist(), citizens.tolist(), strict=True):
            female = bool(male[i])  # the partner of a foreign husband is a woman
            born = _date(birth[i] + (sid * 7919) % 3000 - 1500)
            born = born.replace(day=min(born.day, 28))
            if female:
                first, last = _ID_FEMALE, _ID_FEMALE_LAST
                name = f"{first[sid % len(first)]} {last[sid // 7 % len(last)]}"
                name = ("Ratu " if sid % 19 == 0 else "") + name
            else:
                first, last = _ID_MALE, _ID_MALE_LAST
                name = f"{first[sid % len(first)]} {last[sid // 7 % len(last)]}"
                name = ("Tb. " if sid % 13 == 0 else "") + name
            v = current_village[i]
            sponsors.append(
                (
                    sid,
                    *self.parts[v],
                    "individual",
                    name,
                    "",
                    _nik(self.codes[v][:8], born, female, sid),
                    "",
                    current_address[i],
                    "",
                    f"08{(sid * 2654435761) % 10**10:010d}",
                    "",
                )
            )

        # ---- permits and extensions -------------------------------------------------------------
        cur_rows = np.flatnonzero(has_permit)
        p_person = np.concatenate([cur_rows, *(rows for rows, _, _ in earlier)])
        p_issue = np.concatenate([cur_issue[cur_rows], *(iss for _, iss, _ in earlier)])
        p_until = np.concatenate([cur_until[cur_rows], *(unt for _, _, unt in earlier)])
        p_current = np.r_[
            np.ones(len(cur_rows), dtype=bool), np.zeros(len(p_person) - len(cur_rows), dtype=bool)
        ]
        order = np.lexsort((p_issue, p_person))  # per person, oldest first: the current is last
        p_person, p_issue, p_until, p_current = (
            p_person[order],
            p_issue[order],
            p_until[order],
            p_current[order],
        )
        permit_ids = self._ids("registry_staypermit", len(p_person))
        cur_permit = np.zeros(n, dtype=np.int64)
        cur_permit[p_person[p_current]] = permit_ids[p_current]
        p_index = np.where(p_current, index[p_person], prev_index[p_person])
        p_cat = np.where(p_current, category[p_person], prev_cat[p_person])
        p_issue_iso = _iso(p_issue)
        yy = [d[2:4] for d in p_issue_iso]
        visit = p_cat == "visit"
        prefix = np.where(visit, "1B", np.where(p_cat == "permanent", "2D", "2C")).tolist()
        office_code = np.where(visit, "TPI", "SRG").tolist()
        numbers = [
            f"{pre}{y}{code}{pid:07d}"
            for pre, y, code, pid in zip(prefix, yy, office_code, permit_ids.tolist(), strict=True)
        ]
        airport = rng.integers(0, 10, size=len(p_person))  # 80 % at the airport
        border = np.array(VISIT_OFFICES, dtype=object)[np.where(airport < 8, 0, airport - 7)]
        offices = np.where(visit, border, OFFICE).tolist()
        # What each person's permits say: purpose and sponsor of the current and earlier ones.
        purpose_now = np.array(
            [
                PURPOSES.get(prof, "").format(position=pos)
                for prof, pos in zip(profile_l, position, strict=True)
            ],
            dtype=object,
        )
        purpose_before = purpose_now.copy()
        purpose_before[perm] = np.where(
            prev_index[perm] == "E31A", PURPOSES[SPOUSE], "Bekerja sebagai tenaga ahli"
        )
        purposes = np.where(p_current, purpose_now[p_person], purpose_before[p_person])
        sponsor_obj = sponsor_of.astype(object)
        sponsor_obj[np.isin(profile, (RETIREE, STUDENT, FORMER, TOUR, NONE))] = None
        sponsors_col = np.where(visit, None, sponsor_obj[p_person]).tolist()
        use_old = (old_doc[p_person] > 0) & (p_issue < doc_issue[p_person])
        docs_col = np.where(use_old, old_doc[p_person], cur_doc[p_person]).tolist()
        index_col = [self.s.index_ids.get(code) for code in p_index.tolist()]
        out.rows["registry_staypermit"] = list(
            zip(
                permit_ids.tolist(),
                person_ids[p_person].tolist(),
                p_cat.tolist(),
                index_col,
                numbers,
                p_issue_iso,
                _iso(p_until),
                offices,
                sponsors_col,
                purposes.tolist(),
                docs_col,
                strict=True,
            )
        )

        e_person = np.repeat(np.flatnonzero(n_ext), n_ext[n_ext > 0])
        e_seq = (
            np.concatenate([np.arange(c) for c in n_ext[n_ext > 0]]) if len(e_person) else e_person
        )
        e_before = cur_issue[e_person] + base[e_person] + e_seq * ext_days[e_person] - 1
        e_after = e_before + ext_days[e_person]
        e_decided = np.maximum(e_before - _uniform(rng, 3, 25, n)[e_person], cur_issue[e_person])
        ext_ids = self._ids("registry_permitextension", len(e_person))
        out.rows["registry_permitextension"] = list(
            zip(
                ext_ids.tolist(),
                cur_permit[e_person].tolist(),
                _iso(e_before),
                _iso(e_after),
                _iso(e_decided),
                [f"IMI.6-GR.01.01-{e:07d}" for e in ext_ids.tolist()],
                strict=True,
            )
        )

        # ---- employment: the current job, for some an earlier one with another company ----------
        job_start = np.minimum(first_issue + _uniform(rng, 0, 14, n), today)
        changed = (rng.random(n) < 0.1) & (today - job_start > 120)
        j_person = np.concatenate([employed, employed[changed[employed]]])
        j_earlier = np.r_[
            np.zeros(len(employed), dtype=bool), np.ones(len(j_person) - len(employed), dtype=bool)
        ]
        order = np.lexsort((~j_earlier, j_person))
        j_person, j_earlier = j_person[order], j_earlier[order]
        mid = job_start + (today - job_start) // 2
        j_start = np.where(
            j_earlier,
            job_start[j_person],
            np.where(changed[j_person], mid[j_person] + 1, job_start[j_person]),
        )
        j_end = np.where(j_earlier, mid[j_person], -1)
        j_company = np.where(
            j_earlier,
            (company_of[j_person] + 1 + j_person) % len(self.companies),
            company_of[j_person],
        )
        job_ids = self._ids("registry_employment", len(j_person))
        start_iso, end_iso = _iso(j_start), _iso(j_end, j_end < 0)
        # Work plan (RPTKA) approvals: B.3/<number>/PK.04.01/<month in Roman numerals>/<year>.
        refs = [
            f"B.3/{jid * 37 % 100000:05d}/PK.04.01/{ROMAN_MONTHS[int(d[5:7]) - 1]}/{d[:4]}"
            if profile_l[i] == W
            else ""
            for jid, i, d in zip(job_ids.tolist(), j_person.tolist(), start_iso, strict=True)
        ]
        companies = [self.companies[c] for c in j_company.tolist()]
        out.rows["registry_employment"] = [
            (jid, pid, c.id, *self.company_parts[c.id], position[i], ref, start, end)
            for jid, pid, c, i, ref, start, end in zip(
                job_ids.tolist(),
                person_ids[j_person].tolist(),
                companies,
                j_person.tolist(),
                refs,
                start_iso,
                end_iso,
                strict=True,
            )
        ]

        # ---- persons, with the current columns --------------------------------------------------
        keys = [_name_key(s, g) for s, g in zip(surname, given, strict=True)]
        searches = [
            person_search_key(s, g, f) for s, g, f in zip(surname, given, full, strict=True)
        ]
        places = [
            NATIONALITIES[k].places[p % len(NATIONALITIES[k].places)]
            for k, p in zip(nat.tolist(), pick, strict=True)
        ]
        current = [self.parts[v] for v in current_village.tolist()]
        out.rows["registry_person"] = list(
            zip(
                person_ids.tolist(),
                *zip(*current, strict=True),
                surname,
                given,
                full,
                keys,
                searches,
                np.where(male, "M", "F").tolist(),
                _iso(birth),
                np.where(year_only, "year", "day").tolist(),
                places,
                [NAT_CODES[k] for k in nat.tolist()],
                np.where(has_permit, category, "").tolist(),
                _iso(cur_until, ~has_permit),
                _iso(current_from),
                strict=True,
            )
        )
        return out

    def _pick_company(self, rng: np.random.Generator, nat: np.ndarray) -> np.ndarray:
        chosen = (rng.random(len(nat))[:, None] > self.company_weights[nat]).sum(axis=1)
        return np.minimum(chosen, len(self.companies) - 1)

    def _inside(self, area: str) -> np.ndarray:
        inside = [k for k, c in enumerate(self.codes) if c == area or c.startswith(area + ".")]
        if not inside:
            raise ValueError(f"no village inside {area}")
        return np.array(inside)

    def _stays(self, rng, profile, has_permit, first_issue, cur_issue, earlier):
        """(person, from, to, source) of every stay, sorted by person then date; ``to`` is -1
        for the open (current) stay. Residents move 0–2 times since their first permit;
        tourists have a hotel stay per visit (some changed hotel); persons without a permit
        have the one stay where they were found."""
        today = self.today
        n = len(profile)
        persons, froms, tos, kinds = [], [], [], []
        resident = np.flatnonzero(np.isin(profile, RESIDENTS))
        start = np.minimum(first_issue + _uniform(rng, 0, 10, n), today - 1)
        span = today - start
        u = rng.random(n)
        count = np.where(span < 90, 1, np.select([u < 0.25, u < 0.6], [1, 2], 3))
        frac = np.sort(rng.random((n, 2)), axis=1)
        cut1 = start + 1 + (frac[:, 0] * (span - 2)).astype(np.int64)
        cut2 = np.maximum(start + 1 + (frac[:, 1] * (span - 2)).astype(np.int64), cut1 + 1)
        for c in (1, 2, 3):
            rows = resident[count[resident] == c]
            bounds = [start[rows], cut1[rows], cut2[rows]][:c]
            for k in range(c):
                persons.append(rows)
                froms.append(bounds[k])
                tos.append(bounds[k + 1] - 1 if k + 1 < c else np.full(len(rows), -1))
                source = "permit" if k == 0 else "registry"
                kinds.append(
                    np.where(profile[rows] == W, "employer", source)
                    if k
                    else np.full(len(rows), source)
                )
        for rows, issue, until in earlier:
            sel = profile[rows] == TOUR
            rows, issue, until = rows[sel], issue[sel], until[sel]
            persons.append(rows)
            froms.append(issue + 1)
            tos.append(np.minimum(until, issue + 3 + rows % 12))
            kinds.append(np.full(len(rows), "accommodation"))
        tour = np.flatnonzero(profile == TOUR)
        arrive = np.minimum(cur_issue[tour] + _uniform(rng, 0, 2, n)[tour], today)
        moved = (rng.random(len(tour)) < 0.2) & (today - arrive > 6)
        mid = arrive + (today - arrive) // 2
        persons += [tour, tour[moved]]
        froms += [arrive, mid[moved] + 1]
        tos += [np.where(moved, mid, -1), np.full(int(moved.sum()), -1)]
        kinds += [np.full(len(tour), "accommodation"), np.full(int(moved.sum()), "accommodation")]
        nobody = np.flatnonzero(~has_permit)
        persons.append(nobody)
        froms.append(first_issue[nobody])
        tos.append(np.full(len(nobody), -1))
        kinds.append(np.where(rng.random(len(nobody)) < 0.6, "field", "tip"))

        sp = np.concatenate(persons).astype(np.int64)
        s_from = np.concatenate(froms).astype(np.int64)
        s_to = np.concatenate(tos).astype(np.int64)
        s_kind = np.concatenate(kinds).astype(object)
        order = np.lexsort((s_from, sp))
        return sp[order], s_from[order], s_to[order], s_kind[order].tolist()

    # -- text ----------------------------------------------------------------------------------

    def _address(self, prof: int, v: Village, pick: int, company: int) -> str:
        if prof == TOUR:
            key = v.code if v.code in HOTELS else v.code[:8] if v.code[:8] in HOTELS else v.code[:5]
            hotels = HOTELS.get(key, HOTELS[KAB_SERANG])
            return f"{hotels[pick % len(hotels)]}, kamar {100 + pick % 20 + 100 * (pick % 3)}"
        if prof == W and company >= 0 and v.code[:8] in INDUSTRIAL_KECAMATAN and pick % 5 < 2:
            return f"Mess karyawan {self.companies[company].spec.name}, Desa {v.name}"
        shape = pick % 3
        if shape == 0:
            estate = ESTATES[pick % len(ESTATES)]
            block = f"{'ABCDEFG'[pick % 7]}{pick % 9 + 1}"
            return f"Perum {estate} Blok {block} No. {pick % 30 + 1}, {v.kind} {v.name}"
        if v.kind == "Kel.":
            return f"Jl. {STREETS[pick % len(STREETS)]} No. {pick % 120 + 1}, Kel. {v.name}"
        return (
            f"Kp. {KAMPUNG[pick % len(KAMPUNG)]} RT {pick % 9 + 1:03d}/RW {pick % 5 + 1:03d}, "
            f"Desa {v.name}"
        )

    def _names(self, rng, nat: np.ndarray, male: np.ndarray) -> tuple[list, list, list]:
        n = len(nat)
        surname, given, full = [""] * n, [""] * n, [""] * n
        picks = rng.integers(0, 1 << 30, size=(n, 4)).tolist()
        rank = rng.random(n)
        for k, x in enumerate(NATIONALITIES):
            rows = np.flatnonzero(nat == k)
            if not len(rows):
                continue
            weights = np.cumsum([w for w, _ in x.styles])
            style_of = np.searchsorted(weights, rng.random(len(rows)) * weights[-1]).tolist()
            # The surname's rank by frequency, per style (lists differ in length).
            ranks = [
                np.searchsorted(_rank_cumulative(len(style.surnames) or 1), rank[rows]).tolist()
                for _, style in x.styles
            ]
            for j, (i, st) in enumerate(zip(rows.tolist(), style_of, strict=True)):
                style = x.styles[st][1]
                s, g, f = _compose(style, bool(male[i]), picks[i], ranks[st][j])
                surname[i], given[i], full[i] = s, g, f
        return surname, given, full


@cache
def _rank_cumulative(count: int) -> np.ndarray:
    """Cumulative weights ∝ 1/rank^0.7: surname lists are in order of frequency, and the
    first one (Wang, Kim, Nguyễn) is common without being everyone's."""
    weights = 1.0 / np.arange(1, count + 1) ** 0.7
    return np.cumsum(weights) / weights.sum()


def _compose(style: NameStyle, male: bool, pick: list[int], rank: int) -> tuple[str, str, str]:
    """(surname, given names, full name) by the style's convention; ``rank`` is the
    surname's position in the style's list (drawn by frequency)."""
    p0, p1, p2, p3 = pick
    names = style.male if male else style.female
    sur = style.surnames[min(rank, len(style.surnames) - 1)] if style.surnames else ""
    first = names[p0 % len(names)]
    kind = style.kind
    if kind == "syllables":  # Chinese: one or two syllables, written as one word
        g = first if p1 % 4 == 0 else first + names[p2 % len(names)].lower()
        return sur, g, f"{sur} {g}"
    if kind == "hyphenated":  # Taiwanese (Wade-Giles): Chia-Hao
        g = f"{first}-{names[p2 % len(names)]}"
        return sur, g, f"{sur} {g}"
    if kind == "two_syllables":  # Hong Kong, Malaysian and Singaporean Chinese: Wei Ming
        g = f"{first} {names[p2 % len(names)]}"
        return sur, g, f"{sur} {g}"
    if kind == "surname_first":  # Korean, Japanese
        return sur, first, f"{sur} {first}"
    if kind == "vietnamese":  # Nguyễn Văn An
        middles = style.extra_m if male else style.extra_f
        middle = middles[p1 % len(middles)]
        g = f"{middle} {first}"
        return sur, g, f"{sur} {g}"
    if kind == "patronymic":  # Muhammad Hafiz bin Ismail: the whole name is the primary id
        father = style.extra_m[p1 % len(style.extra_m)]
        link = style.extra_f[0] if male else style.extra_f[1]
        if male and p2 % 3 == 0 and first in ("Muhammad", "Mohd", "Ahmad"):
            first = f"{first} {style.male[p3 % len(style.male)]}"
        whole = f"{first} {link} {father}"
        return whole, "", whole
    if kind == "arab":  # Abdullah Mohammed Al-Ghamdi
        father = style.male[p1 % len(style.male)]
        g = f"{first} {father}"
        return sur, g, f"{g} {sur}"
    if kind == "south_asian":  # Muhammad Imran Khan
        g = first
        if male and p1 % 2 == 0:
            g = f"{style.extra_m[p2 % len(style.extra_m)]} {first}"
        return sur, g, f"{g} {sur}"
    if kind == "russian":  # Petrov / Petrova, Kovalevsky / Kovalevskaya
        if not male:
            sur = sur[:-1] + "aya" if sur.endswith("y") else sur + "a"
        return sur, first, f"{first} {sur}"
    if kind == "spanish":  # two surnames
        sur = f"{sur} {style.surnames[p3 % len(style.surnames)]}"
        return sur, first, f"{first} {sur}"
    if kind == "filipino":  # Maria Cristina R. Santos (middle name = mother's surname)
        g = first if p1 % 3 else f"{first} {names[p2 % len(names)]}"
        mother = style.surnames[p3 % len(style.surnames)]
        return sur, g, f"{g} {mother[0]}. {sur}"
    # Western: one or two given names, then the surname
    g = first if p1 % 3 else f"{first} {names[p2 % len(names)]}"
    if g.split()[0] == g.split()[-1] and " " in g:
        g = first
    return sur, g, f"{g} {sur}"


def villages_from_csv(path) -> list[Village]:
    """The kelurahan/desa of Kota and Kabupaten Serang from ``banten_regions.csv`` (no points);
    for tests and tools that have no database."""
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return [
            Village(row["code"], row["name"])
            for row in csv.DictReader(fh)
            if row["code"].count(".") == 3 and row["code"][:5] in (KOTA_SERANG, KAB_SERANG)
        ]
