from subscribers.load import generate_subscribers
from subscribers.models import Membership, Subscriber
from subscribers.validators import validate_bin, validate_iin


def test_generated_subscribers_are_valid_and_owned(db, django_assert_num_queries):
    with django_assert_num_queries(7):
        ids = generate_subscribers(count=300)
    assert len(ids) == 300 == Subscriber.objects.count()
    assert Membership.objects.filter(role="owner").count() == 300
    for subscriber in Subscriber.objects.all():
        subscriber.full_clean()
        if subscriber.bin:
            validate_bin(subscriber.bin)
        else:
            validate_iin(subscriber.iin)
    # A second batch does not collide with the first.
    generate_subscribers(count=50, seed=2)
    assert Subscriber.objects.count() == 350
