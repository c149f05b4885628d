from drf_spectacular.openapi import AutoSchema


class BoneCareAutoSchema(AutoSchema):
    pass
