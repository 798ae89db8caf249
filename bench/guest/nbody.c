/*
 * Simulates the Sun and the four giant planets with a simple symplectic integrator, in
 * double precision: square roots, divisions and fused multiply-adds in a tight loop over
 * body pairs. Prints the system's energy before and after (which must barely change) and the
 * bits of the final positions, so a wrong operation anywhere shows.
 */
#include "ulib.h"

#define BODIES 5
#define STEPS 300000
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body {
    double x, y, z, vx, vy, vz, mass;
};

/* Positions in AU, velocities in AU per day (scaled to per year), masses in solar masses. */
static struct body bodies[BODIES] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * DAYS_PER_YEAR,
     7.69901118419740425e-03 * DAYS_PER_YEAR, -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * DAYS_PER_YEAR,
     4.99852801234917238e-03 * DAYS_PER_YEAR, 2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * DAYS_PER_YEAR,
     2.37847173959480950e-03 * DAYS_PER_YEAR, -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * DAYS_PER_YEAR,
     1.62824170038242295e-03 * DAYS_PER_YEAR, -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

/* Gives the system zero total momentum by moving the Sun. */
static void offset_momentum(void)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < BODIES; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < BODIES; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            e -= b->mass * c->mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(double dt)
{
    for (int i = 0; i < BODIES; i++) {
        struct body *b = &bodies[i];
        for (int j = i + 1; j < BODIES; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double magnitude = dt / (d2 * sqrt(d2));
            b->vx -= dx * c->mass * magnitude;
            b->vy -= dy * c->mass * magnitude;
            b->vz -= dz * c->mass * magnitude;
            c->vx += dx * b->mass * magnitude;
            c->vy += dy * b->mass * magnitude;
            c->vz += dz * b->mass * magnitude;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        struct body *b = &bodies[i];
        b->x += dt * b->vx;
        b->y += dt * b->vy;
        b->z += dt * b->vz;
    }
}

int main(void)
{
    offset_momentum();
    double before = energy();
    for (int i = 0; i < STEPS; i++)
        advance(0.01);
    double after = energy();
    uint64_t hash = 0;
    for (int i = 0; i < BODIES; i++) {
        uint64_t bits;
        memcpy(&bits, &bodies[i].x, sizeof bits);
        hash = hash * 31 + bits;
    }
    printf("nbody: %d steps, energy %.9f -> %.9f, positions %016lx\n", STEPS, before, after, (unsigned long)hash);
    return 0;
}
