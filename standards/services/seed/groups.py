"""Demo social groups: organisations seed_demo does not create, registry records, published documents.

The particulars are illustrative demo data, not the groups' real records.
"""

from datetime import date

from portal.choices import Province, SocialGroupType
from portal.validators import credit_code_check_character


def _credit(first_17: str) -> str:
    return first_17 + credit_code_check_character(first_17)


# Social groups seed_demo does not create: organisation fields for portal.services.create_organisation.
NEW_ORGANISATIONS = [
    {
        "code": "CNTAC",
        "name": "中国纺织工业联合会",
        "short_name": "中纺联",
        "social_group_type": SocialGroupType.FEDERATION,
        "province": Province.BEIJING,
        "ministry_managed": True,
        "credit_code": _credit("51100000500000732"),
    },
    {
        "code": "CTES",
        "name": "中国纺织工程学会",
        "short_name": "纺织工程学会",
        "social_group_type": SocialGroupType.SOCIETY,
        "province": Province.BEIJING,
        "credit_code": _credit("51100000500001251"),
    },
    {
        "code": "CPIA",
        "name": "中国光伏行业协会",
        "short_name": "光伏行业协会",
        "social_group_type": SocialGroupType.ASSOCIATION,
        "province": Province.BEIJING,
        "ministry_managed": True,
        "credit_code": _credit("51100000MJ0031245"),
    },
    {
        "code": "GZAEPI",
        "name": "广州市环境保护产业协会",
        "short_name": "广州环保产业协会",
        "social_group_type": SocialGroupType.ASSOCIATION,
        "province": Province.GUANGDONG,
        "credit_code": _credit("51440100MJ0107463"),
    },
    {
        "code": "CAS",
        "name": "中国标准化协会",
        "short_name": "中标协",
        "social_group_type": SocialGroupType.ASSOCIATION,
        "province": Province.BEIJING,
        "credit_code": _credit("51100000500002067"),
    },
]

PROFILES = {
    "ZZB": {
        "registration_number": "浙社证字第0817号",
        "registration_authority": "浙江省民政厅",
        "legal_representative": "周建国",
        "supporting_unit": "浙江省市场监督管理局",
        "business_scope": "品牌培育、“浙江制造”标准研制与认证推广、质量技术咨询、培训交流。",
        "address": "浙江省杭州市西湖区文三路 90 号",
        "postcode": "310012",
        "website": "https://zzb.example.cn",
    },
    "CCSA": {
        "registration_number": "社证字第4236号",
        "registration_authority": "中华人民共和国民政部",
        "legal_representative": "刘明远",
        "supporting_unit": "中国信息通信研究院",
        "business_scope": "通信标准研究、制定与宣贯，技术交流，国际标准化合作。",
        "address": "北京市海淀区花园北路 52 号",
        "postcode": "100191",
        "website": "https://ccsa.example.cn",
    },
    "CNTAC": {
        "registration_number": "社证字第3367号",
        "registration_authority": "中华人民共和国民政部",
        "legal_representative": "孙瑞哲",
        "supporting_unit": "国务院国有资产监督管理委员会",
        "business_scope": "纺织行业标准化、科技进步、信息统计、国际交流与合作、行业自律。",
        "address": "北京市东城区东长安街 12 号",
        "postcode": "100742",
        "website": "https://cntac.example.cn",
    },
    "CTES": {
        "registration_number": "社证字第3581号",
        "registration_authority": "中华人民共和国民政部",
        "legal_representative": "伏广伟",
        "supporting_unit": "中国科学技术协会",
        "business_scope": "纺织科技学术交流、团体标准制定、科技评价与人才举荐。",
        "address": "北京市朝阳区延静里中街 3 号",
        "postcode": "100025",
        "website": "https://ctes.example.cn",
    },
    "CPIA": {
        "registration_number": "社证字第5412号",
        "registration_authority": "中华人民共和国民政部",
        "legal_representative": "曹仁贤",
        "supporting_unit": "",
        "business_scope": "光伏产业研究、标准制定、行业统计与自律、国际交流。",
        "address": "北京市海淀区万寿路 27 号",
        "postcode": "100846",
        "website": "https://cpia.example.cn",
    },
    "GZAEPI": {
        "registration_number": "穗社证字第0625号",
        "registration_authority": "广州市民政局",
        "legal_representative": "黄志强",
        "supporting_unit": "",
        "business_scope": "环保产业技术交流、团体标准制定、产品评价与培训。",
        "address": "广东省广州市越秀区吉祥路 95 号",
        "postcode": "510030",
        "website": "",
    },
    "CAS": {
        "registration_number": "社证字第1183号",
        "registration_authority": "中华人民共和国民政部",
        "legal_representative": "纪正昆",
        "supporting_unit": "国家市场监督管理总局",
        "business_scope": "标准化学术研究、团体标准制定、标准化培训与咨询。",
        "address": "北京市海淀区增光路 33 号",
        "postcode": "100048",
        "website": "https://cas.example.cn",
    },
}

# Groups whose standard-making procedure and patent policy are published in the demo.
DOCUMENTS = {
    "ZZB": date(2019, 1, 8),
    "CCSA": date(2020, 3, 16),
    "CNTAC": date(2018, 1, 20),
    "CAS": date(2017, 6, 1),
}
