from rest_framework import serializers

from trygghet.accounts.models import Department, User
from trygghet.accounts.policy import Capability, can


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "active"]


class DepartmentContactSerializer(DepartmentSerializer):
    class Meta(DepartmentSerializer.Meta):
        fields = [*DepartmentSerializer.Meta.fields, "contact_email"]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "name", "department", "capabilities"]

    def get_capabilities(self, user) -> list[str]:
        return [capability.codename for capability in Capability if can(user, capability)]
