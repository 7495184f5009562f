"""Fixed lists the portal shares across stages."""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _


def display_of(field_name: str, choices: type[models.Choices]) -> Callable[[models.Model], str]:
    """A model's `get_<field>_display` read from its choices' enum, for fields every list row shows.

    Django's own builds a dict of all the field's choices on every call, hashing each lazy label (a translation
    lookup each): a quarter of a millisecond for a status, more for a province, paid on every row of a list.
    Like Django's, it gives the value itself back when it is none of the choices.
    """

    def get_display(self: models.Model) -> str:
        value = getattr(self, field_name)
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    get_display.__name__ = f"get_{field_name}_display"
    return get_display


class OrganisationKind(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial industry and IT department")
    INDUSTRY_DELEGATE = "industry_delegate", _("Industry federation (standardisation delegate)")
    MINISTRY = "ministry", _("Ministry")


class SocialGroupType(models.TextChoices):
    SOCIETY = "society", _("Society (学会)")
    ASSOCIATION = "association", _("Association (协会)")
    CHAMBER = "chamber", _("Chamber of commerce (商会)")
    FEDERATION = "federation", _("Federation (联合会)")
    ALLIANCE = "alliance", _("Industrial technology alliance (产业技术联盟)")


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RECOMMENDER = "recommender", _("Recommender")
    EXPERT = "expert", _("Expert")
    SECRETARIAT = "secretariat", _("Secretariat")


class Province(models.TextChoices):
    """The 31 provinces, the five cities specifically designated in the state plan, and the XPCC.

    Values are administrative-division codes (GB/T 2260), which do not change with translations.
    """

    BEIJING = "110000", _("Beijing")
    TIANJIN = "120000", _("Tianjin")
    HEBEI = "130000", _("Hebei")
    SHANXI = "140000", _("Shanxi")
    INNER_MONGOLIA = "150000", _("Inner Mongolia")
    LIAONING = "210000", _("Liaoning")
    DALIAN = "210200", _("Dalian")
    JILIN = "220000", _("Jilin")
    HEILONGJIANG = "230000", _("Heilongjiang")
    SHANGHAI = "310000", _("Shanghai")
    JIANGSU = "320000", _("Jiangsu")
    ZHEJIANG = "330000", _("Zhejiang")
    NINGBO = "330200", _("Ningbo")
    ANHUI = "340000", _("Anhui")
    FUJIAN = "350000", _("Fujian")
    XIAMEN = "350200", _("Xiamen")
    JIANGXI = "360000", _("Jiangxi")
    SHANDONG = "370000", _("Shandong")
    QINGDAO = "370200", _("Qingdao")
    HENAN = "410000", _("Henan")
    HUBEI = "420000", _("Hubei")
    HUNAN = "430000", _("Hunan")
    GUANGDONG = "440000", _("Guangdong")
    SHENZHEN = "440300", _("Shenzhen")
    GUANGXI = "450000", _("Guangxi")
    HAINAN = "460000", _("Hainan")
    CHONGQING = "500000", _("Chongqing")
    SICHUAN = "510000", _("Sichuan")
    GUIZHOU = "520000", _("Guizhou")
    YUNNAN = "530000", _("Yunnan")
    TIBET = "540000", _("Tibet")
    SHAANXI = "610000", _("Shaanxi")
    GANSU = "620000", _("Gansu")
    QINGHAI = "630000", _("Qinghai")
    NINGXIA = "640000", _("Ningxia")
    XINJIANG = "650000", _("Xinjiang")
    XPCC = "660000", _("Xinjiang Production and Construction Corps")
